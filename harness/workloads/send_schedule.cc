#include "workloads/send_schedule.h"

#include <algorithm>
#include <cmath>

namespace stampede {

SendSchedule SendSchedule::OpenLoop(double rate, int connections, int connection,
                                    std::int64_t start_ns) {
  const double per_request_ns = 1e9 / rate;  // between two requests of the whole load
  SendSchedule schedule(std::max<std::int64_t>(1, std::llround(per_request_ns * connections)),
                        std::llround(per_request_ns * connection), true);
  if (start_ns > 0) {
    schedule.started_ = true;
    schedule.next_ns_ = start_ns + schedule.first_offset_ns_;
  }
  return schedule;
}

std::optional<std::int64_t> SendSchedule::Take(std::int64_t now_ns) {
  if (interval_ns_ <= 0) return now_ns;
  if (!started_) {
    started_ = true;
    next_ns_ = now_ns + first_offset_ns_;
  }
  if (now_ns < next_ns_) return std::nullopt;
  const std::int64_t slot = next_ns_;
  next_ns_ += interval_ns_;
  return slot;
}

}  // namespace stampede
