#include "reports/report_format.h"

#include <gtest/gtest.h>

namespace stampede::reports {
namespace {

TEST(ReportFormatTest, NumbersDropTrailingZeros) {
  EXPECT_EQ(Number(4391.6), "4391.6");
  EXPECT_EQ(Number(12.0), "12");
  EXPECT_EQ(Number(0.254, 2), "0.25");
  EXPECT_EQ(Number(-0.01), "0");
}

TEST(ReportFormatTest, MicrosScale) {
  EXPECT_EQ(Micros(850), "850 µs");
  EXPECT_EQ(Micros(1788), "1.79 ms");
  EXPECT_EQ(Micros(2'400'000), "2.40 s");
  EXPECT_EQ(SignedPercent(-0.2), "-20.0%");
  EXPECT_EQ(SignedPercent(0.123), "+12.3%");
}

TEST(ReportFormatTest, ShortenCutsAtACharacterBoundary) {
  EXPECT_EQ(Shorten("abcdef", 10), "abcdef");
  EXPECT_EQ(Shorten("abcdef", 3), "abc…");
  EXPECT_EQ(Shorten("ab\xc3\xa9", 3), "ab…") << "é is two bytes, not split";
}

TEST(ReportFormatTest, FirstProblemPrefersAFailureOverAnError) {
  Cell cell;
  Attempt error{.attempt = 1, .verdict = "error", .error = "no binary"};
  Attempt fail{.attempt = 2, .verdict = "fail", .failures = {{"hang", "server", "shutdown"}}};
  cell.attempts = {error, fail};
  auto first = FirstProblemOf(cell);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->attempt, 2);
  EXPECT_EQ(first->kind, "hang");
  cell.attempts = {error};
  EXPECT_EQ(FirstProblemOf(cell)->summary, "no binary");
  cell.attempts = {Attempt{.verdict = "pass"}};
  EXPECT_FALSE(FirstProblemOf(cell).has_value());
}

TEST(ReportFormatTest, CountsAndKinds) {
  Cell cell;
  cell.passed = 2;
  cell.errors = 1;
  cell.failures_by_kind = {{"crash", 1}, {"mismatch", 3}};
  EXPECT_EQ(AttemptCountsText(cell), "2 pass, 1 error");
  EXPECT_EQ(KindsText(cell), "crash ×1, mismatch ×3");
}

}  // namespace
}  // namespace stampede::reports
