// Settings of the `pingpong` workload, as read from a scenario.
#pragma once

#include <string>

#include "scenario/object_reader.h"

namespace stampede {

enum class PingPongProtocol {
  kResp,  // RESP2 (Redis): see PingPongMode
  kLine,  // a line out, the same line back
};

enum class PingPongMode {
  kPing,    // resp: PING <token>, the reply must be <token>
  kSetGet,  // resp: SET <key> <value> then GET <key>, unique per request; GET must return it
};

struct PingPongSpec {
  PingPongProtocol protocol = PingPongProtocol::kResp;
  PingPongMode mode = PingPongMode::kPing;
  int connections = 10;  // opened at once, each driven by its own session
  int requests = 1000;  // per connection; 0: no limit (the stream ends by duration or with the run)
  int pipeline = 1;     // requests in flight per connection; 1 is strict ping-pong
  int threads = 0;      // load threads the connections are spread over; 0: ResolveLoadThreads
  int pace_us = 0;      // least time between two requests on a connection; 0: no pacing
  // > 0: open loop at this many requests per second over all connections (SendSchedule), every
  // invoke with its intended time; pacing is then ignored. 0: closed loop.
  double rate = 0;
  int timeout_ms = 5000;   // an unanswered request older than this ends its connection
  bool reconnect = false;  // reopen a lost connection (TcpEngineOptions::reconnect_delay_ms)
  std::string address{};   // "HOST:PORT" template with run-time placeholders
};

// Reads the members of a {"type": "pingpong", ...} object (type already read).
PingPongSpec ReadPingPongSpec(ObjectReader& reader);

}  // namespace stampede
