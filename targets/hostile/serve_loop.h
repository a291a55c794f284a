// The one connection loop every serving mode of hostile runs: accept on a listening socket and
// treat each connection by a policy, on one thread with poll(2).
#pragma once

#include "stop_signal.h"

enum class ConnectionPolicy {
  kEchoLines,    // every line read is written back as it came, line end included
  kGarbage,      // every read is answered with 1 to 4096 random bytes, the first one >= 0x80
  kHoldUnread,   // accepted and kept open, never read or written
  kCloseAtOnce,  // closed as soon as it is accepted
};

// Serves `listen_fd` (non-blocking) by `policy` until `stop` is requested (never when `stop` is
// null), then closes every connection and the listener. Returns 0, or 1 after a poll error.
int ServeConnections(int listen_fd, StopSignal* stop, ConnectionPolicy policy);
