// Suites end to end through the stampede binary: a matrix over bug modes with the bug modes
// expected to fail, an unexpected pass, shards merged by `stampede report`, and bad flags.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "cli/cli_test_support.h"
#include "test_paths.h"

namespace stampede {
namespace {

using namespace cli_test;

class SuiteTest : public CliTest {
 protected:
  // The two fastest lab scenarios, small.
  static std::string LabPair() {
    return ScenarioPath("lab/pingpong-direct.json") + " " + ScenarioPath("lab/rpc-sequence.json") +
           " --set requests=100";
  }
  nlohmann::json Suite(const std::filesystem::path& dir) {
    return nlohmann::json::parse(ReadText(dir / "suite.json"));
  }
  static std::set<std::string> CellIds(const nlohmann::json& suite) {
    std::set<std::string> ids;
    for (const auto& cell : suite["cells"]) ids.insert(cell["id"].get<std::string>());
    return ids;
  }
  bool MatchesSchema(const std::filesystem::path& file) {
    return std::system((std::string(STAMPEDE_PYTHON) + " " + std::string(STAMPEDE_SOURCE_DIR) +
                        "/tests/check_suite_schema.py " + file.string() + " >/dev/null")
                           .c_str()) == 0;
  }
};

TEST_F(SuiteTest, BugModesExpectedToFailKeepTheSuiteGreen) {
  const auto out = dir_ / "suite";
  auto result =
      Stampede("run " + LabPair() +
               " --matrix 'bug=*' --expect-fail 'bug!=none' --repeat 2 --out " + out.string());
  EXPECT_EQ(result.exit_code, 0) << result.out;
  auto suite = Suite(out);
  EXPECT_TRUE(MatchesSchema(out / "suite.json"));
  EXPECT_EQ(CellIds(suite),
            (std::set<std::string>{"pingpong-direct[bug=none]", "pingpong-direct[bug=cross-talk]",
                                   "rpc-sequence[bug=none]", "rpc-sequence[bug=static-seq]"}));
  for (const auto& cell : suite["cells"]) {
    const bool bug = cell["values"]["bug"] != "none";
    EXPECT_EQ(cell["outcome"], bug ? "expected-fail" : "pass") << cell.dump(2);
    EXPECT_EQ(cell["attempts"].size(), 2u);
    for (const auto& attempt : cell["attempts"]) {
      EXPECT_TRUE(std::filesystem::exists(out / attempt["verdict_file"].get<std::string>()));
      ExpectNoProcessLeft(out / attempt["dir"].get<std::string>());
      if (bug && attempt["verdict"] == "fail") {
        EXPECT_EQ(attempt["kinds"][0], "mismatch");
      }
    }
  }
  EXPECT_EQ(suite["totals"]["attempts"], 8);
  EXPECT_TRUE(std::filesystem::exists(out / "report.html"));
  EXPECT_NE(ReadText(out / "report.md").find("4 of 4 cells as expected"), std::string::npos);
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 4 + 3) << result.out;
}

TEST_F(SuiteTest, OneScenarioWithSuiteIsASuiteOfOneCell) {
  const auto out = dir_ / "suite";
  auto result = Stampede("run " + ScenarioPath("lab/pingpong-direct.json") +
                         " --set requests=50 --repeat 2 --suite --out " + out.string());
  EXPECT_EQ(result.exit_code, 0) << result.out;
  auto suite = Suite(out);
  ASSERT_EQ(suite["cells"].size(), 1u);
  EXPECT_EQ(suite["cells"][0]["id"], "pingpong-direct");
  EXPECT_EQ(suite["cells"][0]["attempts"].size(), 2u);
  EXPECT_FALSE(std::filesystem::exists(out / "summary.json"));
}

TEST_F(SuiteTest, AnExpectedFailureThatPassesFailsTheSuite) {
  const auto out = dir_ / "suite";
  auto result = Stampede("run " + ScenarioPath("lab/pingpong-direct.json") +
                         " --set requests=50 --expect-fail '*' --out " + out.string());
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_EQ(Suite(out)["cells"][0]["outcome"], "unexpected-pass");
}

TEST_F(SuiteTest, ShardsMergedCoverTheSameCellsAsOneRun) {
  const std::string args = " " + LabPair() + " --matrix 'bug=*' --expect-fail 'bug!=none' --out ";
  for (const char* shard : {"1/3", "2/3", "3/3"}) {
    auto out = dir_ / ("shard-" + std::string(1, shard[0]));
    EXPECT_EQ(Stampede("run --shard " + std::string(shard) + args + out.string()).exit_code, 0);
  }
  auto whole = dir_ / "whole";
  EXPECT_EQ(Stampede("run" + args + whole.string()).exit_code, 0);
  std::set<std::string> merged;
  for (const char* n : {"1", "2", "3"}) {
    auto ids = CellIds(Suite(dir_ / ("shard-" + std::string(n))));
    merged.insert(ids.begin(), ids.end());
  }
  EXPECT_EQ(merged, CellIds(Suite(whole)));
  const auto junit = dir_ / "junit.xml";
  auto report =
      Stampede("report " + (dir_ / "shard-1").string() + " " + (dir_ / "shard-2").string() + " " +
               (dir_ / "shard-3").string() + " --junit " + junit.string() + " --markdown " +
               (dir_ / "merged.md").string());
  EXPECT_EQ(report.exit_code, 0) << report.out;
  const auto xml = ReadText(junit);
  for (const auto& id : merged) EXPECT_NE(xml.find(id), std::string::npos) << id;
  EXPECT_NE(report.out.find("4 cells, 0 not as expected"), std::string::npos) << report.out;
}

TEST_F(SuiteTest, BadSuitesAreRejectedBeforeAnythingRuns) {
  const auto out = dir_ / "suite";
  const auto stderr_path = (dir_ / "stderr").string();
  auto bad = [&](const std::string& args, const std::string& message) {
    auto result = Stampede("run " + args + " --out " + out.string(), stderr_path);
    EXPECT_EQ(result.exit_code, 2) << args;
    EXPECT_NE(ReadText(stderr_path).find(message), std::string::npos) << ReadText(stderr_path);
    EXPECT_FALSE(std::filesystem::exists(out / "suite.json")) << args;
  };
  bad(LabPair() + " --matrix bakend=epoll",
      "--matrix bakend: no scenario of the suite has that parameter");
  bad(LabPair() + " --shard 4/3", "--shard \"4/3\": give K/N");
  bad(LabPair() + " --matrix bug=nonsense", "pingpong-direct[bug=nonsense]: ");
  bad(ScenarioPath("lab/nope.json") + " --matrix bug=none", "no such file or folder");
  bad(LabPair() + " --expect-fail '=x'", "--expect-fail \"=x\"");
}

}  // namespace
}  // namespace stampede
