// The resp-server event loop: one thread, epoll, non-blocking sockets.
#pragma once

class StopSignal;

// Serves RESP2 clients on `listen_fd` (listening, non-blocking; closed by this call) until `stop`
// is requested. Every connection has an input and an output buffer; requests pipelined on one
// connection are answered strictly in order. On stop: the listener closes at once, connections
// stop reading, their buffered replies are flushed (for at most kStopFlushDeadline), and they
// close. Returns the exit code: 0 after a graceful stop, 1 on a fatal error (reported on stderr).
int RunServer(int listen_fd, StopSignal* stop);
