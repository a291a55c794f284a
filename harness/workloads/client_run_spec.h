// Settings of the `client-run` workload, as read from a scenario: stampede hosts a fixture HTTP
// server, starts the client under test (a target whose command holds {url}) and waits for it to
// exit within deadline_ms.
#pragma once

#include <string>

#include "scenario/object_reader.h"

namespace stampede {

struct ClientRunSpec {
  std::string client{};       // the target that is the client under test; "" = the first target
  std::string path = "/";     // {url} is http://127.0.0.1:{fixture.port}<path>
  int deadline_ms = 60000;    // the client must have exited by then, else a hang
  int expect_requests = 0;    // the fixture must see exactly this many requests; 0 = any number
  double delay_fraction = 0;  // fixture: of requests answered only after delay_ms
  int delay_ms = 0;
  double fail_fraction = 0;  // fixture: of requests answered with fail_status
  int fail_status = 503;
  // The fixture server runs ({url}, {fixture.port}); false: the client talks to server targets
  // of the scenario only, and expect_requests and the fixture's faults cannot be asked for.
  bool fixture = true;
};

// Reads the members of a {"type": "client-run", ...} object (type already read).
ClientRunSpec ReadClientRunSpec(ObjectReader& reader);

}  // namespace stampede
