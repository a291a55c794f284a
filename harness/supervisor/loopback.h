// Small blocking socket helpers for the supervisor, loopback only: free-port allocation,
// TCP and HTTP probes, and the HTTP request that asks a target to stop.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace stampede {

// `count` distinct ports that were free on 127.0.0.1 when asked. The sockets used to find
// them are closed before returning, so another process could still take one: callers
// bind soon after.
Result<std::vector<int>> AllocateLoopbackPorts(int count);

// True when nothing listens on 127.0.0.1:port and the port can be bound.
bool LoopbackPortIsFree(int port);

// True when a TCP connection to 127.0.0.1:port succeeds within `timeout`.
bool TcpConnects(int port, std::chrono::milliseconds timeout);

// GETs `path` from 127.0.0.1:port over HTTP/1.1 (Connection: close) and returns the status
// code, or nullopt when there is no well-formed status line within `timeout`.
std::optional<int> HttpGetStatus(int port, const std::string& path,
                                 std::chrono::milliseconds timeout);

}  // namespace stampede
