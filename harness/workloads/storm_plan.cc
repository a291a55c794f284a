#include "workloads/storm_plan.h"

#include <algorithm>

namespace stampede {

const char* ToString(AbortKind kind) {
  switch (kind) {
    case AbortKind::kRst:
      return "rst";
    case AbortKind::kFin:
      return "fin";
    case AbortKind::kIdle:
      return "idle";
  }
  return "?";
}

StormPlanner::StormPlanner(const ReloadStormSpec& spec, std::uint64_t seed)
    : spec_(spec), rng_(seed) {}

std::uint64_t StormPlanner::Next() {
  return rng_.Next();
}

std::uint64_t StormPlanner::Below(std::uint64_t bound) {
  return Next() % bound;
}

AbortKind StormPlanner::DrawAbort() {
  const auto rst = static_cast<std::uint64_t>(std::max(spec_.abort_mix.rst, 0));
  const auto fin = static_cast<std::uint64_t>(std::max(spec_.abort_mix.fin, 0));
  const auto idle = static_cast<std::uint64_t>(std::max(spec_.abort_mix.idle, 0));
  const std::uint64_t total = rst + fin + idle;
  if (total == 0) return AbortKind::kFin;
  const std::uint64_t draw = Below(total);
  if (draw < rst) return AbortKind::kRst;
  return draw < rst + fin ? AbortKind::kFin : AbortKind::kIdle;
}

std::vector<TabRound> StormPlanner::NextRound() {
  std::vector<TabRound> tabs(static_cast<std::size_t>(spec_.tabs));
  const auto max_connections = static_cast<std::uint64_t>(std::max(spec_.connections_per_tab, 1));
  for (auto& tab : tabs) {
    tab.connections = 1 + static_cast<int>(Below(max_connections));
    tab.preconnect = spec_.preconnect;
    const int abandoned = tab.connections + (tab.preconnect ? 1 : 0);
    for (int i = 0; i < abandoned; ++i) tab.aborts.push_back(DrawAbort());
    // reload_after_ms * (0.5 + u), u uniform in [0, 1) in steps of 1/1000
    const auto base = static_cast<std::int64_t>(spec_.reload_after_ms);
    const auto permille = static_cast<std::int64_t>(Below(1000));
    tab.reload_after_ms =
        static_cast<int>(std::max<std::int64_t>(1, base * (500 + permille) / 1000));
  }
  return tabs;
}

}  // namespace stampede
