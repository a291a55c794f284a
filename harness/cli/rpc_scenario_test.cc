// scenarios/lab/rpc-sequence.json end to end through the stampede binary.
#include <gtest/gtest.h>

#include "cli/cli_test_support.h"

namespace stampede {
namespace {

using namespace cli_test;

class RpcScenarioTest : public CliTest {
 protected:
  nlohmann::json Run(const std::string& args, int expected_exit) {
    return RunChecked(ScenarioPath("lab/rpc-sequence.json"), args, expected_exit);
  }
};

TEST_F(RpcScenarioTest, PassesByDefault) {
  auto verdict = Run("--set calls=50", 0);
  EXPECT_EQ(verdict["verdict"], "pass") << verdict.dump(2);
  EXPECT_EQ(verdict["stats"]["ok"], 32 * 50);
}

TEST_F(RpcScenarioTest, StaticSeqIsAMismatchAndNotACrash) {
  auto verdict = Run("--set bug=static-seq --set calls=50", 1);
  ASSERT_EQ(verdict["failures"].size(), 1u) << verdict.dump(2);
  const auto& failure = verdict["failures"][0];
  EXPECT_EQ(failure["kind"], "mismatch");
  const auto& first = failure["evidence"]["first"][0];
  EXPECT_NE(first["expected"], first["got"]);
  EXPECT_EQ(verdict["stats"]["failed"], 0);
}

}  // namespace
}  // namespace stampede
