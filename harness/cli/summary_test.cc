#include "cli/summary.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Verdict Failed() {
  Verdict verdict;
  verdict.outcome = Outcome::kFail;
  verdict.scenario = "s";
  return verdict;
}

TEST(SummaryTest, ARunWithNoAnswerPrintsNeitherLatencyNorRate) {
  Verdict verdict = Failed();
  verdict.stats = {{"ops", 8},
                   {"ok", 0},
                   {"failed", 0},
                   {"info", 8},
                   {"latency_us", {{"p50", nullptr}, {"p99", nullptr}, {"max", nullptr}}},
                   {"throughput_ops_s", 25104.0}};
  const std::string text = FormatSummary(verdict, "dir", false);
  EXPECT_TRUE(Has(text, "ops 8 (ok 0, failed 0, info 8); no request was answered\n")) << text;
  EXPECT_FALSE(Has(text, "ops/s")) << text;
  EXPECT_FALSE(Has(text, "latency")) << text;
}

TEST(SummaryTest, AnErrorBeforeTheLoadStartedPrintsNoOperationFigures) {
  Verdict verdict = Failed();
  verdict.outcome = Outcome::kError;
  verdict.error = "target \"server\" was not ready within 1500 ms";
  verdict.stats = {{"ops", 0}, {"ok", 0}, {"failed", 0}, {"info", 0}};
  const std::string text = FormatSummary(verdict, "dir", false);
  EXPECT_TRUE(Has(text, "error: target")) << text;
  EXPECT_FALSE(Has(text, "ops 0")) << text;
  verdict.error.clear();
  EXPECT_TRUE(Has(FormatSummary(verdict, "dir", false), "no requests were observed"))
      << "a load that ran and got nothing";
}

TEST(SummaryTest, AnsweredRequestsGetLatencyAndRate) {
  Verdict verdict = Failed();
  verdict.stats = {{"ops", 2},
                   {"ok", 2},
                   {"failed", 0},
                   {"info", 0},
                   {"latency_us", {{"p50", 1500}, {"p99", 2000}, {"max", 2500}}},
                   {"throughput_ops_s", 400.0}};
  EXPECT_TRUE(Has(FormatSummary(verdict, "dir", false),
                  "ops 2 (ok 2, failed 0, info 0); latency p50 1.50ms p99 2.00ms max 2.50ms; 400 "
                  "ops/s\n"));
}

TEST(SummaryTest, InfoOutcomesAreListedApartFromErrors) {
  Verdict verdict = Failed();
  verdict.stats = {{"errors_by_reason", {{"connection reset by peer", 3}}},
                   {"info_by_reason", {{"stopped before completion", 2}}}};
  const std::string text = FormatSummary(verdict, "dir", false);
  EXPECT_TRUE(Has(text, "  errors: connection reset by peer 3\n")) << text;
  EXPECT_TRUE(Has(text, "  not errors (info): stopped before completion 2\n")) << text;
}

TEST(SummaryTest, CyclesNonePassedHaveNoRate) {
  Verdict verdict = Failed();
  verdict.cycles = {
      {"planned", 1}, {"run", 1}, {"passed", 0}, {"first_failed", 1}, {"cycles_per_s", 1625.1}};
  const std::string text = FormatSummary(verdict, "dir", false);
  EXPECT_TRUE(Has(text, "  cycles: 0 of 1 passed; first failed: cycle 1\n")) << text;
  verdict.cycles["passed"] = 1;
  verdict.cycles["planned"] = 2;
  verdict.cycles["run"] = 2;
  verdict.cycles["first_failed"] = 2;
  EXPECT_TRUE(Has(FormatSummary(verdict, "dir", false), "(1625.1 cycles/s)")) << text;
}

TEST(SummaryTest, ConsequencesArePrintedUnderTheirCause) {
  Verdict verdict = Failed();
  Failure crash{FailureKind::kCrash, "proxy", "proxy was killed by SIGABRT", {}};
  crash.consequences = nlohmann::json::array(
      {{{"kind", "errors"}, {"summary", "6 of 40 operations failed"}, {"count", 6}}});
  verdict.failures = {crash};
  EXPECT_TRUE(Has(FormatSummary(verdict, "dir", false),
                  "  crash    proxy was killed by SIGABRT\n"
                  "           then errors (consequence): 6 of 40 operations failed\n"));
}

}  // namespace
}  // namespace stampede
