// Watches a running timeline for a stall: requests outstanding while none completes, for as
// long as the scenario's stall_ms. Fed the load streams' live counters by the run's main loop,
// so the run can end while the target is still stuck and evidence can be taken from it.
//
// Pure: no clock of its own, times are given.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace stampede {

struct LiveStall {
  std::int64_t since_ms = 0;     // the last completion, or when requests became outstanding
  std::int64_t stalled_ms = 0;   // how long nothing has completed
  std::int64_t outstanding = 0;  // requests in flight now
};

class StallWatch {
 public:
  // `stall_ms` 0 never reports a stall.
  explicit StallWatch(std::int64_t stall_ms) : stall_ms_(stall_ms) {}

  // The counters at `now_ms` (non-decreasing): operations completed so far, and in flight.
  // Returns the stall once nothing has completed for stall_ms while requests were outstanding.
  std::optional<LiveStall> Observe(std::int64_t now_ms, std::int64_t done, std::int64_t in_flight);

 private:
  const std::int64_t stall_ms_;
  std::int64_t last_done_ = -1;
  std::int64_t since_ms_ = 0;
};

// "answered nothing for 2006 ms while 50 requests were outstanding (stall_ms 2000)".
std::string StallSummary(const LiveStall& stall, std::int64_t stall_ms);
// {stalled_ms, stall_threshold_ms, since_ms, outstanding}: the evidence's figures.
nlohmann::json StallFigures(const LiveStall& stall, std::int64_t stall_ms);

}  // namespace stampede
