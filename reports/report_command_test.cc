#include "reports/report_command.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "reports/suite_fixture.h"

namespace stampede::reports {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class RunReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("stampede-report-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    auto attempts = [](const std::string& dir, double throughput) {
      std::vector<json> out;
      for (int i = 1; i <= 5; ++i)
        out.push_back(fixture::Attempt(dir, i, "pass", throughput + i, 5000));
      return out;
    };
    fixture::WriteSuiteFolder(
        dir_ / "shard-1", fixture::Suite({fixture::Cell("rpc", json::object(), "pass", "cells/001",
                                                        attempts("cells/001", 1000))},
                                         {{"index", 1}, {"count", 2}}));
    fixture::WriteSuiteFolder(
        dir_ / "shard-2",
        fixture::Suite({fixture::Cell("http", json::object(), "pass", "cells/001",
                                      {fixture::Attempt("cells/001", 1, "fail")})},
                       {{"index", 2}, {"count", 2}}));
    fixture::WriteSuiteFolder(
        dir_ / "base", fixture::Suite({fixture::Cell("rpc", json::object(), "pass", "cells/001",
                                                     attempts("cells/001", 2000))}));
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(RunReportTest, MergesShardsComparesAndWritesEveryOutput) {
  ReportRequest request{.suites = {dir_ / "shard-1", dir_ / "shard-2/suite.json"},
                        .baseline = {dir_ / "base"},
                        .html = dir_ / "out/report.html",
                        .markdown = dir_ / "out/summary.md",
                        .junit = dir_ / "out/junit.xml"};
  auto result = RunReport(request);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.value().cells, 2);
  EXPECT_EQ(result.value().unexpected, 1);
  EXPECT_EQ(result.value().regressions, 1) << "rpc's throughput halved over 5 attempts a side";
  EXPECT_EQ(result.value().written.size(), 3u);
  EXPECT_NE(
      Read(dir_ / "out/report.html").find("href=\"../shard-2/cells/001/attempt-001/verdict.json\""),
      std::string::npos);
  EXPECT_NE(Read(dir_ / "out/summary.md").find("**regression**"), std::string::npos);
  EXPECT_NE(Read(dir_ / "out/junit.xml").find("<testsuite name=\"http\""), std::string::npos);
  for (const auto& entry : fs::directory_iterator(dir_ / "out"))
    EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << "no temporary left";
}

TEST_F(RunReportTest, ABadSuiteIsAnInvalidInputNamingIt) {
  std::ofstream(dir_ / "shard-2/suite.json") << R"({"schema": "stampede.suite/1"})";
  auto result =
      RunReport({.suites = {dir_ / "shard-1", dir_ / "shard-2"}, .markdown = dir_ / "out.md"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ReportError::Kind::kInvalidInput);
  EXPECT_EQ(result.error().message,
            (dir_ / "shard-2/suite.json").string() + ": at /: missing field \"started_at\"");
  EXPECT_FALSE(fs::exists(dir_ / "out.md")) << "nothing written";
  auto baseline = RunReport({.suites = {dir_ / "shard-1"}, .baseline = {dir_ / "nowhere"}});
  ASSERT_FALSE(baseline.ok());
  EXPECT_NE(baseline.error().message.find("nowhere"), std::string::npos);
}

TEST_F(RunReportTest, AnUnwritableOutputIsAnEnvironmentError) {
  std::ofstream(dir_ / "file") << "x";
  auto result = RunReport({.suites = {dir_ / "shard-1"}, .junit = dir_ / "file/junit.xml"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ReportError::Kind::kEnvironment);
  EXPECT_EQ(result.error().message.rfind((dir_ / "file/junit.xml").string() + ": cannot write", 0),
            0u);
}

}  // namespace
}  // namespace stampede::reports
