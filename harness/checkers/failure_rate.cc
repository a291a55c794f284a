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

double OneSidedZ(double confidence) {
  // Bisection on the normal tail, 0.5 * erfc(z / sqrt 2) = 1 - confidence: exact to 1e-12.
  double low = 0, high = 40;
  for (int i = 0; i < 200 && high - low > 1e-12; ++i) {
    const double mid = (low + high) / 2;
    (0.5 * std::erfc(mid / std::sqrt(2.0)) > 1 - confidence ? low : high) = mid;
  }
  return (low + high) / 2;
}

double WilsonUpperBound(std::int64_t failures, std::int64_t attempts, double confidence) {
  return WilsonInterval(failures, attempts, OneSidedZ(confidence)).high;
}

std::int64_t CleanAttemptsToProve(double confidence, double below) {
  // With no failure the bound is z^2 / (n + z^2), below `below` once n > z^2 (1 / below - 1).
  const double z = OneSidedZ(confidence);
  auto n = static_cast<std::int64_t>(std::floor(z * z * (1 / below - 1))) + 1;
  while (n > 1 && WilsonUpperBound(0, n - 1, confidence) < below) --n;
  while (WilsonUpperBound(0, n, confidence) >= below) ++n;
  return n;
}

}  // namespace stampede
