#include "checkers/failure_rate.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

// Reference values: the Wilson score interval computed independently (Python, the textbook
// formula), and the familiar 0-of-20 upper bound 0.161.
TEST(WilsonIntervalTest, MatchesReferenceValues) {
  struct Case {
    int failures, attempts;
    double low, high;
  };
  for (const auto& c : {Case{0, 20, 0.0, 0.161125}, Case{10, 20, 0.299298, 0.700702},
                        Case{1, 10, 0.017876, 0.404150}, Case{20, 20, 0.838875, 1.0},
                        Case{6, 20, 0.145477, 0.518973}}) {
    auto rate = WilsonInterval(c.failures, c.attempts);
    EXPECT_DOUBLE_EQ(rate.rate, double(c.failures) / c.attempts);
    EXPECT_NEAR(rate.low, c.low, 1e-6) << c.failures << "/" << c.attempts;
    EXPECT_NEAR(rate.high, c.high, 1e-6) << c.failures << "/" << c.attempts;
  }
}

TEST(WilsonIntervalTest, NarrowsWithMoreAttempts) {
  auto few = WilsonInterval(3, 10);
  auto many = WilsonInterval(300, 1000);
  EXPECT_DOUBLE_EQ(few.rate, many.rate);
  EXPECT_LT(many.high - many.low, few.high - few.low);
  EXPECT_LT(many.low, 0.3);
  EXPECT_GT(many.high, 0.3);
}

TEST(WilsonIntervalTest, NoAttemptsSayNothing) {
  auto rate = WilsonInterval(0, 0);
  EXPECT_EQ(rate.rate, 0);
  EXPECT_EQ(rate.low, 0);
  EXPECT_EQ(rate.high, 1);
}

TEST(WilsonIntervalTest, OneSidedZIsTheNormalQuantile) {
  EXPECT_NEAR(OneSidedZ(0.95), 1.644854, 1e-6);
  EXPECT_NEAR(OneSidedZ(0.975), kZ95, 1e-6);
  EXPECT_NEAR(OneSidedZ(0.99), 2.326348, 1e-6);
}

// "Failure rate below 1% at 95%" takes 268 clean attempts (z^2 / (n + z^2) < 0.01); one fewer
// is not enough.
TEST(WilsonIntervalTest, CleanAttemptsToProveAreTheFewestThatBringTheBoundBelow) {
  for (const auto& [confidence, below, expected] :
       {std::tuple{0.95, 0.01, 268}, std::tuple{0.95, 0.05, 52}, std::tuple{0.99, 0.01, 536}}) {
    const auto n = CleanAttemptsToProve(confidence, below);
    EXPECT_EQ(n, expected) << confidence << " " << below;
    EXPECT_LT(WilsonUpperBound(0, n, confidence), below);
    EXPECT_GE(WilsonUpperBound(0, n - 1, confidence), below);
  }
}

}  // namespace
}  // namespace stampede
