#include "reports/suite_data.h"

#include <gtest/gtest.h>

#include <fstream>

#include "reports/suite_fixture.h"

namespace stampede::reports {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json TwoCellSuite() {
  return fixture::Suite({fixture::Cell("split-reply", {{"bug", "split-reply"}}, "fail", "cells/001",
                                       {fixture::Attempt("cells/001", 1, "fail"),
                                        fixture::Attempt("cells/001", 2, "pass")}),
                         fixture::Cell("rpc", json::object(), "pass", "cells/002",
                                       {fixture::Attempt("cells/002", 1, "pass")})});
}

std::string ParseError(const json& document) {
  auto parsed = ParseSuite(document, "/suites/a", "a/suite.json");
  return parsed.ok() ? "" : parsed.error().message;
}

TEST(ParseSuiteTest, ReadsCellsAttemptsAndResolvesFolders) {
  auto parsed = ParseSuite(TwoCellSuite(), "/suites/a", "a/suite.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const Suite& suite = parsed.value();
  ASSERT_EQ(suite.cells.size(), 2u);
  const Cell& cell = suite.cells[0];
  EXPECT_EQ(cell.id, "split-reply[bug=split-reply]");
  EXPECT_EQ(cell.values.at("bug"), "split-reply");
  EXPECT_EQ(cell.outcome, "expected-fail");
  EXPECT_TRUE(cell.as_expected);
  EXPECT_EQ(cell.dir, fs::path("/suites/a/cells/001"));
  ASSERT_EQ(cell.attempts.size(), 2u);
  EXPECT_EQ(cell.attempts[0].seed, 18000000000000000001u) << "seeds above 2^63 stay exact";
  EXPECT_EQ(cell.attempts[0].failures.at(0).target, "server");
  EXPECT_EQ(cell.attempts[0].verdict_file,
            fs::path("/suites/a/cells/001/attempt-001/verdict.json"));
  ASSERT_TRUE(cell.attempts[0].stats.has_value());
  EXPECT_DOUBLE_EQ(cell.attempts[0].stats->latency_us.p99, 5000);
  EXPECT_EQ(suite.totals.cells, 2);
  EXPECT_EQ(suite.totals.attempts, 3);
  EXPECT_EQ(suite.totals.passed, 2);
  ASSERT_EQ(suite.sources.size(), 1u);
  EXPECT_EQ(suite.sources[0].repeat, 3);
  EXPECT_EQ(suite.sources[0].matrix.at("bug"), std::vector<std::string>{"*"});
}

TEST(ParseSuiteTest, NamesTheFileAndJsonPathOfAProblem) {
  json suite = TwoCellSuite();
  suite["cells"][1]["attempts"][0]["seed"] = -4;
  EXPECT_EQ(ParseError(suite),
            "a/suite.json: at /cells/1/attempts/0/seed: expected an unsigned integer");
  suite = TwoCellSuite();
  suite["cells"][0].erase("expect");
  EXPECT_EQ(ParseError(suite), "a/suite.json: at /cells/0: missing field \"expect\"");
  suite = TwoCellSuite();
  suite["cells"][0]["outcome"] = "flaky";
  EXPECT_EQ(ParseError(suite), "a/suite.json: at /cells/0/outcome: unexpected value \"flaky\"");
  suite = TwoCellSuite();
  suite["schema"] = "stampede.suite/2";
  EXPECT_NE(ParseError(suite).find("\"stampede.suite/2\" is not supported"), std::string::npos);
  suite = TwoCellSuite();
  suite["cells"][1]["id"] = suite["cells"][0]["id"];
  EXPECT_NE(ParseError(suite).find("appears twice"), std::string::npos);
  EXPECT_EQ(ParseError(json::array()), "a/suite.json: at /: expected an object");
}

TEST(ParseSuiteTest, NullStatsAndTargetAreAbsent) {
  json suite = TwoCellSuite();
  suite["cells"][1]["attempts"][0]["stats"] = nullptr;
  suite["cells"][0]["attempts"][0]["failures"][0]["target"] = nullptr;
  auto parsed = ParseSuite(suite, "/s", "s");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_FALSE(parsed.value().cells[1].attempts[0].stats.has_value());
  EXPECT_FALSE(parsed.value().cells[0].attempts[0].failures[0].target.has_value());
}

class LoadSuiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("stampede-suite-data-" +
            std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(LoadSuiteTest, AcceptsAFolderOrItsSuiteJson) {
  fixture::WriteSuiteFolder(dir_ / "a", TwoCellSuite());
  auto from_folder = LoadSuite(dir_ / "a");
  ASSERT_TRUE(from_folder.ok()) << from_folder.error().message;
  EXPECT_EQ(from_folder.value().cells[0].dir, dir_ / "a" / "cells/001");
  auto from_file = LoadSuite(dir_ / "a" / "suite.json");
  ASSERT_TRUE(from_file.ok()) << from_file.error().message;
  EXPECT_EQ(from_file.value().cells.size(), 2u);
}

TEST_F(LoadSuiteTest, MissingAndMalformedFilesAreNamed) {
  auto missing = LoadSuite(dir_ / "nowhere");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(
      missing.error().message,
      (dir_ / "nowhere").string() + ": does not exist (expected a suite folder or its suite.json)");
  fs::create_directories(dir_ / "empty");
  auto empty = LoadSuite(dir_ / "empty");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(
      empty.error().message.rfind((dir_ / "empty" / "suite.json").string() + ": does not exist", 0),
      0u);
  std::ofstream(dir_ / "bad.json") << "{\"schema\": ";
  auto bad = LoadSuite(dir_ / "bad.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message.rfind((dir_ / "bad.json").string() + ": invalid JSON", 0), 0u);
  EXPECT_EQ(bad.error().kind, ReportError::Kind::kInvalidInput);
}

TEST(MergeSuitesTest, ConcatenatesShardsAndAppendsAttemptsOfARepeatedCell) {
  json first = fixture::Suite({fixture::Cell("rpc", json::object(), "pass", "cells/001",
                                             {fixture::Attempt("cells/001", 1, "pass")})},
                              {{"index", 1}, {"count", 2}});
  json second =
      fixture::Suite({fixture::Cell("rpc", json::object(), "pass", "cells/001",
                                    {fixture::Attempt("cells/001", 2, "fail", 900, 6000, "crash")}),
                      fixture::Cell("start-stop", json::object(), "pass", "cells/002",
                                    {fixture::Attempt("cells/002", 1, "pass")})},
                     {{"index", 2}, {"count", 2}});
  std::vector<Suite> suites;
  suites.push_back(ParseSuite(first, "/one", "one").value());
  suites.push_back(ParseSuite(second, "/two", "two").value());
  const Suite merged = MergeSuites(std::move(suites));
  ASSERT_EQ(merged.sources.size(), 2u);
  EXPECT_EQ(merged.sources[1].shard->index, 2);
  ASSERT_EQ(merged.cells.size(), 2u);
  const Cell& rpc = merged.cells[0];
  ASSERT_EQ(rpc.attempts.size(), 2u);
  EXPECT_EQ(rpc.attempts[1].dir, fs::path("/two/cells/001/attempt-002")) << "resolved per shard";
  EXPECT_EQ(rpc.passed, 1);
  EXPECT_EQ(rpc.failed, 1);
  EXPECT_EQ(rpc.failures_by_kind.at("crash"), 1);
  EXPECT_EQ(rpc.outcome, "fail");
  EXPECT_FALSE(rpc.as_expected);
  EXPECT_DOUBLE_EQ(rpc.failure_rate.rate, 0.5);
  EXPECT_EQ(merged.totals.cells, 2);
  EXPECT_EQ(merged.totals.unexpected, 1);
  EXPECT_EQ(merged.totals.attempts, 3);
}

TEST(CellOutcomeTest, FollowsTheSuiteRules) {
  auto attempts = [](std::vector<std::string> verdicts) {
    std::vector<Attempt> out;
    for (auto& verdict : verdicts) out.push_back(Attempt{.verdict = verdict});
    return out;
  };
  EXPECT_EQ(CellOutcome("pass", attempts({"pass", "pass"})), "pass");
  EXPECT_EQ(CellOutcome("pass", attempts({"pass", "fail"})), "fail");
  EXPECT_EQ(CellOutcome("fail", attempts({"pass", "fail"})), "expected-fail");
  EXPECT_EQ(CellOutcome("fail", attempts({"pass"})), "unexpected-pass");
  EXPECT_EQ(CellOutcome("fail", attempts({"fail", "aborted"})), "aborted");
  EXPECT_EQ(CellOutcome("pass", attempts({"aborted", "error"})), "error");
}

TEST(WilsonFailureRateTest, MatchesKnownIntervals) {
  const FailureRate rate = WilsonFailureRate(3, 3);
  EXPECT_DOUBLE_EQ(rate.rate, 1.0);
  EXPECT_NEAR(rate.low, 0.4385, 1e-4);
  EXPECT_DOUBLE_EQ(rate.high, 1.0);
  const FailureRate none = WilsonFailureRate(0, 0);
  EXPECT_EQ(none.low, 0);
  EXPECT_EQ(none.high, 1);
}

}  // namespace
}  // namespace stampede::reports
