// Common interface between the http-server front end (main.cc) and its two I/O backends.
//
// Both backends answer requests through routes.h, so for the same request they produce the same
// bytes. They differ only in how they wait for I/O:
//   - epoll:   one thread, non-blocking sockets, timers for /slow (backend_epoll.cc);
//   - threads: an accept loop plus one thread per connection, blocking I/O (backend_threads.cc).
//
// Both stop the same way: stop accepting, close the idle connections, log "wait for all
// connections to close" on stderr and wait until no connection is left. The threads backend
// waits in ConnectionTracker::WaitForAllConnectionsToClose() (connection_tracker.h), woken by the
// connection threads as they close, which is where --bug shutdown-race lives. The epoll backend's
// single thread keeps running its event loop until the last connection has closed: it has no
// waiter that could miss a wake-up, so it ignores that bug.
#pragma once

#include <string>

class ConnectionTracker;
class RouteCache;
class StopSignal;

enum class Backend { kEpoll, kThreads };
enum class BugMode { kNone, kUnsafeCache, kShutdownRace };

// Everything a backend needs. The pointers are borrowed and outlive the Run*Backend call.
struct ServerContext {
  int listen_fd = -1;           // Listening, non-blocking socket; the backend closes it on stop.
  StopSignal* stop = nullptr;   // SIGINT/SIGTERM and /shutdown; see stop_signal.h.
  RouteCache* cache = nullptr;  // Shared by all connections (and threads).
  ConnectionTracker* connections = nullptr;  // threads backend only: the live connections.
  int max_connection_threads = 0;            // threads backend only; 0 = unlimited.
};

// Serve until a stop is requested, then stop gracefully: close the listening socket, finish the
// request each connection is working on (a pending /slow included), close idle connections, log
// "wait for all connections to close (N open)" on stderr and return once none is left. Returns
// the process exit code: 0 after a graceful stop, 1 on a fatal error (already reported on stderr).
int RunEpollBackend(const ServerContext& context);
int RunThreadsBackend(const ServerContext& context);
