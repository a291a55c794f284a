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

}  // namespace
}  // namespace stampede
