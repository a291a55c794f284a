// Common interface between the http-server front end (main.cc) and its four I/O backends.
//
// Every backend answers requests through routes.h, so for the same request they all produce the
// same bytes. They differ only in how they wait for I/O:
//   - epoll:   one thread, non-blocking sockets, epoll(7) (backend_epoll.cc);
//   - poll:    one thread, non-blocking sockets, poll(2) (backend_poll.cc);
//   - uring:   one thread, io_uring completions for accept, receive and send (backend_uring.cc);
//   - threads: an accept loop plus one thread per connection, blocking I/O (backend_threads.cc).
// The three single-threaded ones share their connection state machine (connection.h: parse,
// answer in order, bounded buffers), their timers for /slow and their graceful stop
// (event_loop.h); epoll and poll share their whole event loop as well (readiness_loop.h) and
// only supply the waiting mechanism.
//
// All stop the same way: stop accepting, close the idle connections, log "wait for all
// connections to close" on stderr and wait until no connection is left. The threads backend
// waits in ConnectionTracker::WaitForAllConnectionsToClose() (connection_tracker.h), woken by the
// connection threads as they close, which is where --bug shutdown-race lives. The
// single-threaded backends keep running their event loop until the last connection has closed:
// they have no waiter that could miss a wake-up, so they ignore that bug.
//
// --bug drain-busy lives in the threads backend only (its connection threads' drain); the
// single-threaded backends close every connection that has answered its current request.
//
// --bug reload-race lives in route_table.h and applies to every backend: SIGHUP is handled by a
// reloader thread (route_reloader.h) that swaps the route table under the requests' feet.
//
// --bug accept-once lives in the epoll backend only: its listening socket is registered
// edge-triggered and accepted from once per notification. poll(2) is level-triggered only, the
// uring backend re-arms its accept after every completion, and the threads backend drains the
// listener; they ignore the mode.
#pragma once

#include <string>

class ConnectionTracker;
class RouteCache;
class RouteTables;
class StopSignal;

enum class Backend { kEpoll, kPoll, kUring, kThreads };
enum class BugMode { kNone, kUnsafeCache, kShutdownRace, kAcceptOnce, kReloadRace, kDrainBusy };

// Everything a backend needs. The pointers are borrowed and outlive the Run*Backend call.
struct ServerContext {
  int listen_fd = -1;             // Listening, non-blocking socket; the backend closes it on stop.
  StopSignal* stop = nullptr;     // SIGINT/SIGTERM and /shutdown; see stop_signal.h.
  RouteCache* cache = nullptr;    // Shared by all connections (and threads).
  RouteTables* routes = nullptr;  // The route table, swapped by SIGHUP (route_reloader.h).
  ConnectionTracker* connections = nullptr;  // threads backend only: the live connections.
  int max_connection_threads = 0;            // threads backend only; 0 = unlimited.
  bool accept_once = false;                  // epoll backend only: --bug accept-once.
  bool drain_busy = false;                   // threads backend only: --bug drain-busy.
};

// Serve until a stop is requested, then stop gracefully: close the listening socket, finish the
// request each connection is working on (a pending /slow included), close idle connections, log
// "wait for all connections to close (N open)" on stderr and return once none is left. Returns
// the process exit code: 0 after a graceful stop, 1 on a fatal error (already reported on stderr).
int RunEpollBackend(const ServerContext& context);
int RunPollBackend(const ServerContext& context);
int RunUringBackend(const ServerContext& context);
int RunThreadsBackend(const ServerContext& context);
