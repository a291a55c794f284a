// The rpc-server I/O thread: epoll over the listener, the connections and the worker pool's
// completion queue.
#pragma once

#include "call.h"

class StopSignal;

struct ServerOptions {
  int workers = 4;      // Worker threads serving calls.
  int jitter_us = 200;  // Each call sleeps a random 0..jitter_us microseconds.
  BugMode bug = BugMode::kNone;
};

// Serves framed RPC clients (protocols/rpc_frame.h) on `listen_fd` (listening, non-blocking;
// closed by this call) until `stop` is requested. One thread does all socket I/O: it decodes the
// pipelined requests of every connection and queues them for the workers, whose replies it
// writes back in the order they complete (not the order of the requests). A frame that does not
// decode, or a request carrying flags, closes its connection at once without a reply.
// On stop: the listener closes, connections stop reading, the calls already queued are served
// and their replies flushed (for at most kStopFlushDeadline in all), then every connection
// closes and the workers are joined. Returns the exit code: 0 after a graceful stop, 1 on a
// fatal error (reported on stderr).
int RunServer(int listen_fd, StopSignal* stop, const ServerOptions& options);
