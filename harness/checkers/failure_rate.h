// The failure rate of repeated attempts with its Wilson score interval: how often a race shows,
// and how sure that figure is after only a few attempts. Pure function.
#pragma once

#include <cstdint>

namespace stampede {

constexpr double kZ95 = 1.959963984540054;  // two-sided 95%

struct FailureRate {
  double rate = 0;  // failures / attempts; 0 without attempts
  double low = 0;   // Wilson score interval at the requested confidence, within [0, 1]
  double high = 1;
};

// Requires 0 <= failures <= attempts. Without attempts the interval is [0, 1].
FailureRate WilsonInterval(std::int64_t failures, std::int64_t attempts, double z = kZ95);

}  // namespace stampede
