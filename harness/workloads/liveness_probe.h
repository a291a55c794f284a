// A liveness probe: a fresh connection and one GET that must be answered within a deadline.
// It tells a server that no longer answers (a hang: the connection is never accepted or the
// request never served) from one that answers badly or refuses (an error).
#pragma once

#include <cstdint>
#include <stop_token>
#include <string>

#include "workloads/tcp_client_engine.h"

namespace stampede {

enum class ProbeOutcome {
  kAnswered,  // a whole response with status 2xx..3xx
  kTimeout,   // the deadline passed first
  kError,     // refused, reset, closed early, garbage or an error status
  kStopped,   // `stop` was requested first
};

struct ProbeResult {
  ProbeOutcome outcome = ProbeOutcome::kError;
  // kTimeout: "connect" (the handshake never completed: the listen queue is full) or
  // "response" (connected and sent; no whole answer). kError: "connect" (refused or failed),
  // "response" (broken, closed early, garbage) or "status" (an error status). kAnswered,
  // kStopped: empty.
  std::string stage;
  std::string detail;  // kAnswered: the status code; kError: why; kTimeout: what was awaited
  std::int64_t elapsed_ms = 0;
};

// Connects to `endpoint`, sends GET `path` and reads one response, all within `deadline_ms`.
// Checks `stop` at least every 50 ms.
ProbeResult ProbeHttp(const TcpEndpoint& endpoint, const std::string& path, int deadline_ms,
                      const std::stop_token& stop);

}  // namespace stampede
