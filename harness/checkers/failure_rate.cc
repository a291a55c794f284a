#include "checkers/failure_rate.h"

#include <algorithm>
#include <cmath>

namespace stampede {

FailureRate WilsonInterval(std::int64_t failures, std::int64_t attempts, double z) {
  if (attempts <= 0) return {};
  const auto n = static_cast<double>(attempts);
  const double p = static_cast<double>(failures) / n;
  const double z2 = z * z;
  const double denominator = 1 + z2 / n;
  const double center = (p + z2 / (2 * n)) / denominator;
  const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
  return {p, std::max(0.0, center - half), std::min(1.0, center + half)};
}

}  // namespace stampede
