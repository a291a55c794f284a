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

// The z of a one-sided bound at `confidence` (0.5 < confidence < 1): the standard normal
// quantile, e.g. 1.645 for 0.95.
double OneSidedZ(double confidence);

// The one-sided Wilson upper bound of the failure rate at `confidence`: the rate is below it
// with that confidence.
double WilsonUpperBound(std::int64_t failures, std::int64_t attempts, double confidence);

// The fewest clean attempts (no failure) after which WilsonUpperBound is below `below`
// (0 < below < 1): 268 for "below 1% at 95%".
std::int64_t CleanAttemptsToProve(double confidence, double below);

}  // namespace stampede
