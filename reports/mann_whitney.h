// Two-sided Mann–Whitney U test (Wilcoxon rank-sum): do two samples come from the same
// distribution, or does one tend to be larger? Used to tell a real change against a baseline
// from noise between repeats. Pure function.
#pragma once

#include <vector>

namespace stampede::reports {

struct MannWhitneyResult {
  double u = 0;  // U of the first sample: pairs (x in a, y in b) with x > y, ties counting 1/2
  double p = 1;  // two-sided p-value
  bool exact = false;  // from the exact distribution (else the normal approximation)
};

// Exact distribution of U when both samples have at most 20 values and no value is tied;
// otherwise the normal approximation with tie correction and continuity correction. An empty
// sample, or samples whose values are all equal, give p = 1.
MannWhitneyResult MannWhitneyU(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace stampede::reports
