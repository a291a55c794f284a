// Settings of the `reload-storm` workload, as read from a scenario: browser tabs reloading a
// page in rounds, each reload abandoning the tab's connections, and a liveness probe after
// every round.
#pragma once

#include <string>
#include <vector>

#include "scenario/object_reader.h"

namespace stampede {

// How a reload abandons each connection: relative weights, drawn per connection from the
// run's seed. At least one weight is positive.
struct AbortMix {
  int rst = 1;   // SO_LINGER 0 and close: the server sees a reset
  int fin = 1;   // close: the server sees an orderly end
  int idle = 1;  // left open, unread, until the storm ends (at most max_idle_connections)
};

enum class ProbeAt { kEveryRound, kEnd, kBoth };
// kKeep: left open (exhaustion builds up); kClose: closed (FIN); kReset: reset (RST).
enum class IdleFate { kKeep, kClose, kReset };

const char* ToString(ProbeAt at);
const char* ToString(IdleFate fate);

struct ReloadStormSpec {
  std::string address{};                // "HOST:PORT" template with run-time placeholders
  int tabs = 4;                         // tabs reloading together in every round
  int rounds = 20;                      // reloads per tab
  int connections_per_tab = 6;          // a tab opens 1..this many connections per round (<= 6)
  bool preconnect = true;               // and one more that connects and sends nothing
  std::vector<std::string> paths{"/"};  // request targets; connection c's request i is
                                        // paths[(c + i) % size]
  int requests_per_connection = 2;      // keep-alive requests a connection sends in turn
  int reload_after_ms = 100;            // a tab reloads after between 0.5 and 1.5 times this
  AbortMix abort_mix{};
  int max_idle_connections = 64;  // beyond this the oldest idle connection is closed (FIN)
  std::string probe_path = "/";
  int probe_deadline_ms = 2000;  // a probe unanswered this long is a hang
  // When the liveness probe runs: after every round, once after the last round (the final
  // probe: a user who reloaded many times and comes back later), or both.
  ProbeAt probe_at = ProbeAt::kEveryRound;
  // Before the final probe: what becomes of the connections reloads left idle, then a pause.
  IdleFate final_idle = IdleFate::kKeep;
  int settle_ms = 0;
};

// Reads the members of a {"type": "reload-storm", ...} object (type already read).
ReloadStormSpec ReadReloadStormSpec(ObjectReader& reader);

}  // namespace stampede
