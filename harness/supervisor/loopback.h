// Small blocking socket helpers for the supervisor, loopback only: free-port allocation,
// TCP and HTTP probes, and the HTTP request that asks a target to stop.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace stampede {

// An inclusive range of TCP ports.
struct PortRange {
  int low;
  int high;
};

// The kernel's ephemeral range (net.ipv4.ip_local_port_range), where it picks the local
// port of every outgoing connection and of bind(port 0); 32768-60999 when unreadable.
PortRange EphemeralPortRange();

// At least 1000 ports at or above 10000 that lie outside `ephemeral` (below it when
// possible), or nullopt when there is no such range.
std::optional<PortRange> PortsOutside(PortRange ephemeral);

// `count` distinct ports that were free on 127.0.0.1 when asked, chosen at random outside
// the ephemeral range when there is room, so that no outgoing connection of this or any
// other process takes one between allocation and the target's bind. The sockets used to
// find them are closed before returning, so another process could still bind one:
// callers bind soon after.
Result<std::vector<int>> AllocateLoopbackPorts(int count);

// True when nothing listens on 127.0.0.1:port and the port can be bound.
bool LoopbackPortIsFree(int port);

// Connects to 127.0.0.1:port within `timeout` and closes again; else an EnvironmentError
// saying why ("connect to 127.0.0.1:P: Connection refused", "...: timed out after N ms").
Status TryTcpConnect(int port, std::chrono::milliseconds timeout);
// True when a TCP connection to 127.0.0.1:port succeeds within `timeout`.
bool TcpConnects(int port, std::chrono::milliseconds timeout);

// GETs `path` from 127.0.0.1:port over HTTP/1.1 (Connection: close) and returns the status
// code; an EnvironmentError says why there is none (the connect's error, no status line within
// `timeout`, or what came instead of one).
Result<int> HttpGetStatus(int port, const std::string& path, std::chrono::milliseconds timeout);

}  // namespace stampede
