// Settings of the `lines` workload: a script of requests and their expected reply lines, run
// over and over on each connection, for text protocols that are not RESP or HTTP (memcached's
// `set`/`get`, SMTP-like chatter), as read from a scenario.
#pragma once

#include <string>
#include <vector>

#include "scenario/object_reader.h"

namespace stampede {

// One expected reply line: its exact text, or an ECMAScript regex the whole line must match.
struct LineExpectation {
  std::string text;
  bool regex = false;
};

struct LineStep {
  std::string send;                     // sent as is ({seq} replaced); include the line ends
  std::vector<LineExpectation> expect;  // the reply's lines, in order (at least one)
};

struct LineScriptSpec {
  std::string address{};  // "HOST:PORT" template with run-time placeholders
  int connections = 10;
  int requests = 100;  // runs of the whole script per connection
  int pace_ms = 0;     // least time between two steps on a connection
  // > 0: open loop at this many steps per second over all connections (SendSchedule).
  double rate = 0;
  int timeout_ms = 5000;
  bool reconnect = false;  // reopen a lost connection (TcpEngineOptions::reconnect_delay_ms)
  std::vector<LineStep> steps;
};

// Reads the members of a {"type": "lines", ...} object (type already read).
LineScriptSpec ReadLineScriptSpec(ObjectReader& reader);

}  // namespace stampede
