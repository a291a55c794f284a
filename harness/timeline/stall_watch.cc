#include "timeline/stall_watch.h"

#include <fmt/format.h>

namespace stampede {

std::optional<LiveStall> StallWatch::Observe(std::int64_t now_ms, std::int64_t done,
                                             std::int64_t in_flight) {
  if (done != last_done_ || in_flight <= 0) {
    last_done_ = done;
    since_ms_ = now_ms;
    return std::nullopt;
  }
  if (stall_ms_ <= 0 || now_ms - since_ms_ < stall_ms_) return std::nullopt;
  return LiveStall{since_ms_, now_ms - since_ms_, in_flight};
}

std::string StallSummary(const LiveStall& stall, std::int64_t stall_ms) {
  return fmt::format("answered nothing for {} ms while {} {} outstanding (stall_ms {})",
                     stall.stalled_ms, stall.outstanding,
                     stall.outstanding == 1 ? "request was" : "requests were", stall_ms);
}

nlohmann::json StallFigures(const LiveStall& stall, std::int64_t stall_ms) {
  return {{"stalled_ms", stall.stalled_ms},
          {"stall_threshold_ms", stall_ms},
          {"since_ms", stall.since_ms},
          {"outstanding", stall.outstanding}};
}

}  // namespace stampede
