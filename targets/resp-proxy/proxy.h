// Common interface between the resp-proxy front end (main.cc) and its two I/O backends.
//
// Both backends relay bytes unchanged between each accepted client connection and its own
// connection to the upstream server (no protocol parsing). They differ only in how they wait for
// I/O:
//   - uring: io_uring, one receive armed per direction, send, then re-arm (backend_uring.cc);
//   - epoll: level-triggered epoll with per-direction buffers (backend_epoll.cc).
// A connection pair is closed as a whole on an error or a reset on either side; an orderly EOF
// from one side is passed on as a half-close (shutdown(SHUT_WR)) to the other, and the pair
// closes once both directions have ended.
#pragma once

#include "net.h"

class StopSignal;

enum class Backend { kUring, kEpoll };
enum class BugMode {
  kNone,
  // uring backend only: after a receive completes, re-arm the receive of the other direction,
  // which already has one pending; the assert(!cd->pending_recv) guard then aborts (SIGABRT).
  kPendingRecv,
};

// Everything a backend needs. The pointers are borrowed and outlive the Run*Backend call.
struct ProxyContext {
  int listen_fd = -1;          // Listening, non-blocking socket; the backend closes it on stop.
  LoopbackAddress upstream;    // The server every accepted connection is relayed to.
  StopSignal* stop = nullptr;  // SIGINT/SIGTERM; see stop_signal.h.
  BugMode bug = BugMode::kNone;
};

// Relay until a stop is requested, then stop: stop accepting, close every connection pair (bytes
// still in flight are dropped) and return. Returns the process exit code: 0 after a stop, 1 on a
// fatal error (already reported on stderr).
int RunUringBackend(const ProxyContext& context);
int RunEpollBackend(const ProxyContext& context);
