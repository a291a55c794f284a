#include "timeline/stall_watch.h"

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

}  // namespace stampede
