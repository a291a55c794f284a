// The resp-server event loop: one thread, epoll, non-blocking sockets, plus an admin thread for
// CLIENT LIST and INFO (admin.h).
#pragma once

class StopSignal;

enum class BugMode {
  kNone,
  // Replies are rendered into one process-wide buffer instead of the connection's own, and the
  // connections that got replies are written only at the end of the event-loop iteration; by
  // then the buffer holds the replies of the last connection that executed a request, and those
  // are what every connection of the iteration is sent (see server.cc). Deliberately wrong.
  kCrossTalk,
  // CLIENT LIST, executed on the admin thread, walks the registry of connected clients without
  // its lock while the event loop adds and frees entries; a walk during connection churn reads
  // a freed entry and aborts (see client_registry.h). Deliberately wrong.
  kStatsRace,
};

// Serves RESP2 clients on `listen_fd` (listening, non-blocking; closed by this call) until `stop`
// is requested. Every connection has an input and an output buffer; requests pipelined on one
// connection are answered strictly in order (not so with BugMode::kCrossTalk, whose replies may
// go to another connection). On stop: the listener closes at once, connections stop reading,
// their buffered replies are flushed (for at most kStopFlushDeadline), and they close. Returns
// the exit code: 0 after a graceful stop, 1 on a fatal error (reported on stderr).
int RunServer(int listen_fd, StopSignal* stop, BugMode bug);
