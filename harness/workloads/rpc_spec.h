// Settings of the `rpc` workload, as read from a scenario.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenario/object_reader.h"

namespace stampede {

struct RpcSpec {
  int connections = 4;     // shared by the callers, as a connection pool is
  int callers = 32;        // concurrent callers; caller i uses connection i % connections
  int calls = 200;         // per caller, one at a time: a caller waits for its reply
  int payload_bytes = 32;  // request payload size (at least the unique prefix)
  int timeout_ms = 5000;   // a call unanswered this long ends its connection (info)
  bool reconnect = false;  // reopen a lost connection (TcpEngineOptions::reconnect_delay_ms)
  std::vector<std::uint16_t> methods = {1, 2, 3};  // rpc::Method values, used in turn
  std::string address{};  // "HOST:PORT" template with run-time placeholders
};

// Reads the members of a {"type": "rpc", ...} object (type already read).
RpcSpec ReadRpcSpec(ObjectReader& reader);

}  // namespace stampede
