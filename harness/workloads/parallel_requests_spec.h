// Settings of the `parallel-requests` workload, as read from a scenario.
#pragma once

#include <string>

#include "scenario/object_reader.h"

namespace stampede {

enum class EchoCheck { kNone, kHeader, kBody };

struct ParallelRequestsSpec {
  std::string url;         // template: run-time placeholders, {seq} filled per request
  int requests = 200;      // released at once, each on its own connection
  int rounds = 1;          // bursts, one after the other, reusing connections
  int timeout_ms = 10000;  // per request
  int expect_status = 200;
  EchoCheck echo = EchoCheck::kNone;  // where the target echoes the sequence number
};

// Reads the members of a {"type": "parallel-requests", ...} object (type already read).
ParallelRequestsSpec ReadParallelRequestsSpec(ObjectReader& reader);

}  // namespace stampede
