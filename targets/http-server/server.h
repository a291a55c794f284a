// Common interface between the http-server front end (main.cc) and its two I/O backends.
//
// Both backends answer requests through routes.h, so for the same request they produce the same
// bytes. They differ only in how they wait for I/O:
//   - epoll:   one thread, non-blocking sockets, timers for /slow (backend_epoll.cc);
//   - threads: an accept loop plus one thread per connection, blocking I/O (backend_threads.cc).
#pragma once

#include <string>

class RouteCache;
class StopSignal;

enum class Backend { kEpoll, kThreads };
enum class BugMode { kNone, kUnsafeCache };

// Everything a backend needs. The pointers are borrowed and outlive the Run*Backend call.
struct ServerContext {
  int listen_fd = -1;              // Listening, non-blocking socket; the backend closes it on stop.
  StopSignal* stop = nullptr;      // SIGINT/SIGTERM and /shutdown; see stop_signal.h.
  RouteCache* cache = nullptr;     // Shared by all connections (and threads).
  int max_connection_threads = 0;  // threads backend only; 0 = unlimited.
};

// Serve until a stop is requested, then stop gracefully: close the listening socket, finish the
// request each connection is working on (a pending /slow included), close idle connections and
// return once none is left. Returns the process exit code: 0 after a graceful stop, 1 on a fatal
// error (already reported on stderr).
int RunEpollBackend(const ServerContext& context);
int RunThreadsBackend(const ServerContext& context);
