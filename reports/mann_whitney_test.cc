#include "reports/mann_whitney.h"

#include <gtest/gtest.h>

namespace stampede::reports {
namespace {

TEST(MannWhitneyTest, SeparatedSmallSamplesUseTheExactDistribution) {
  const MannWhitneyResult result = MannWhitneyU({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10});
  EXPECT_TRUE(result.exact);
  EXPECT_DOUBLE_EQ(result.u, 0);
  EXPECT_NEAR(result.p, 2.0 / 252, 1e-12)
      << "only 1 of C(10,5) arrangements is as extreme, per side";
  const MannWhitneyResult reversed = MannWhitneyU({6, 7, 8, 9, 10}, {1, 2, 3, 4, 5});
  EXPECT_DOUBLE_EQ(reversed.u, 25);
  EXPECT_NEAR(reversed.p, 2.0 / 252, 1e-12);
}

TEST(MannWhitneyTest, OverlappingSamplesExact) {
  // Enumerating all C(11,5) = 462 splits: 41 have U <= 7, so p = 82/462.
  const MannWhitneyResult result = MannWhitneyU({1, 2, 4, 6, 9}, {3, 5, 7, 8, 10, 11});
  EXPECT_TRUE(result.exact);
  EXPECT_DOUBLE_EQ(result.u, 7);
  EXPECT_NEAR(result.p, 0.1774891774891775, 1e-12);
}

TEST(MannWhitneyTest, IdenticalSamplesGiveOne) {
  EXPECT_DOUBLE_EQ(MannWhitneyU({3, 1, 2}, {1, 2, 3}).p, 1.0);
  EXPECT_DOUBLE_EQ(MannWhitneyU({5, 5, 5}, {5, 5, 5}).p, 1.0) << "all tied: variance 0";
  EXPECT_DOUBLE_EQ(MannWhitneyU({}, {1, 2}).p, 1.0);
}

TEST(MannWhitneyTest, TiesUseTheNormalApproximationWithTieCorrection) {
  // Midranks 1.5 1.5 3.5 | 3.5 5.5 5.5: U = 0.5, mean 4.5, variance 9/12 * (7 - 18/30) = 4.8,
  // z = (4 - 0.5) / sqrt(4.8) = 1.5975, p = erfc(z / sqrt 2) = 0.11015.
  const MannWhitneyResult result = MannWhitneyU({1, 1, 2}, {2, 3, 3});
  EXPECT_FALSE(result.exact);
  EXPECT_DOUBLE_EQ(result.u, 0.5);
  EXPECT_NEAR(result.p, 0.11015, 1e-4);
}

TEST(MannWhitneyTest, LargeSamplesUseTheNormalApproximation) {
  std::vector<double> low, high;
  for (int i = 1; i <= 25; ++i) low.push_back(i), high.push_back(i + 25);
  const MannWhitneyResult result = MannWhitneyU(low, high);
  EXPECT_FALSE(result.exact);
  // mean 312.5, sd sqrt(25*25*51/12) = 51.539, z = 312 / 51.539 = 6.0537.
  EXPECT_NEAR(result.p, 1.416e-9, 0.01e-9);
}

}  // namespace
}  // namespace stampede::reports
