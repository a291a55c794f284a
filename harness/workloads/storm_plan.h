// The random part of a reload storm, drawn from the run's seed: how many connections each tab
// opens in a round, how the reload abandons each, and when the tab reloads.
//
// Deterministic: the same spec and seed give the same rounds on every machine (splitmix64 and
// plain arithmetic, no standard-library distributions, whose results vary by implementation).
#pragma once

#include <cstdint>
#include <vector>

#include "core/splitmix.h"
#include "workloads/reload_storm_spec.h"

namespace stampede {

enum class AbortKind { kRst, kFin, kIdle };

// "rst", "fin", "idle".
const char* ToString(AbortKind kind);

// One tab's part of one round.
struct TabRound {
  int connections = 0;            // connections that send requests: 1..connections_per_tab
  bool preconnect = false;        // one more connection that sends nothing
  std::vector<AbortKind> aborts;  // how each is abandoned: the requesting ones, then the preconnect
  int reload_after_ms = 0;        // reload_after_ms * [0.5, 1.5], at least 1
};

class StormPlanner {
 public:
  StormPlanner(const ReloadStormSpec& spec, std::uint64_t seed);

  // The next round: one TabRound per tab.
  std::vector<TabRound> NextRound();

 private:
  std::uint64_t Next();
  // Uniform in [0, bound) for bound > 0 (modulo bias below 2^-40 for the bounds used here).
  std::uint64_t Below(std::uint64_t bound);
  AbortKind DrawAbort();

  const ReloadStormSpec& spec_;
  SplitMix64 rng_;
};

}  // namespace stampede
