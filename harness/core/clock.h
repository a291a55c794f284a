// Monotonic time for histories: nanoseconds since an arbitrary origin (CLOCK_MONOTONIC).
#pragma once

#include <chrono>
#include <cstdint>

namespace stampede {

using MonoClock = std::chrono::steady_clock;

inline std::int64_t MonotonicNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(MonoClock::now().time_since_epoch())
      .count();
}

}  // namespace stampede
