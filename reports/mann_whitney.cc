#include "reports/mann_whitney.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace stampede::reports {
namespace {

constexpr int kExactLimit = 20;

struct Ranked {
  double rank_sum_a = 0;  // sum of the (mid)ranks of sample a
  double tie_term = 0;    // sum over tie groups of t^3 - t
  bool has_ties = false;
};

Ranked Rank(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<std::pair<double, bool>> all;  // value, from a
  for (double x : a) all.emplace_back(x, true);
  for (double y : b) all.emplace_back(y, false);
  std::sort(all.begin(), all.end());
  Ranked ranked;
  for (std::size_t i = 0; i < all.size();) {
    std::size_t j = i;
    while (j < all.size() && all[j].first == all[i].first) ++j;
    const double midrank = static_cast<double>(i + j + 1) / 2;  // ranks i+1 .. j
    const auto t = static_cast<double>(j - i);
    if (t > 1) ranked.has_ties = true;
    ranked.tie_term += t * t * t - t;
    for (std::size_t k = i; k < j; ++k)
      if (all[k].second) ranked.rank_sum_a += midrank;
    i = j;
  }
  return ranked;
}

// P(U <= u) under the null hypothesis for sample sizes m and n, exactly: the number of
// arrangements of m a's and n b's with U <= u over C(m+n, m), by the recurrence
// f(m, n, u) = f(m-1, n, u-n) + f(m, n-1, u).
double ExactCdf(int m, int n, int u) {
  const int max_u = m * n;
  // f[i][j] is the count vector for sizes (i, j).
  std::vector<std::vector<std::vector<double>>> f(
      m + 1, std::vector<std::vector<double>>(n + 1, std::vector<double>(max_u + 1, 0)));
  for (int i = 0; i <= m; ++i) {
    for (int j = 0; j <= n; ++j) {
      if (i == 0 || j == 0) {
        f[i][j][0] = 1;
        continue;
      }
      for (int k = 0; k <= i * j; ++k) {
        f[i][j][k] = (k >= j ? f[i - 1][j][k - j] : 0) + f[i][j - 1][k];
      }
    }
  }
  double below = 0, total = 0;
  for (int k = 0; k <= max_u; ++k) {
    total += f[m][n][k];
    if (k <= u) below += f[m][n][k];
  }
  return below / total;
}

}  // namespace

MannWhitneyResult MannWhitneyU(const std::vector<double>& a, const std::vector<double>& b) {
  MannWhitneyResult result;
  if (a.empty() || b.empty()) return result;
  const auto n1 = static_cast<double>(a.size());
  const auto n2 = static_cast<double>(b.size());
  const Ranked ranked = Rank(a, b);
  result.u = ranked.rank_sum_a - n1 * (n1 + 1) / 2;
  const double mean = n1 * n2 / 2;
  if (!ranked.has_ties && a.size() <= kExactLimit && b.size() <= kExactLimit) {
    result.exact = true;
    const double smaller = std::min(result.u, n1 * n2 - result.u);  // the distribution is symmetric
    const int u = static_cast<int>(std::lround(smaller));
    result.p =
        std::min(1.0, 2 * ExactCdf(static_cast<int>(a.size()), static_cast<int>(b.size()), u));
    return result;
  }
  const double n = n1 + n2;
  const double variance = n1 * n2 / 12 * ((n + 1) - ranked.tie_term / (n * (n - 1)));
  if (variance <= 0) return result;  // every value equal: no evidence of a difference
  const double z = std::max(0.0, std::abs(result.u - mean) - 0.5) / std::sqrt(variance);
  result.p = std::min(1.0, std::erfc(z / std::sqrt(2.0)));
  return result;
}

}  // namespace stampede::reports
