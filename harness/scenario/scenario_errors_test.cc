// Malformed scenarios: each is rejected with a message naming file, line, column and path.
// The cases are in scenario_errors_{fields,references,input}_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "scenario/malformed_scenario_test.h"

namespace stampede {
namespace {

using ::testing::HasSubstr;

TEST_P(MalformedScenarioTest, IsRejectedWithALocatedMessage) {
  const auto& c = GetParam();
  auto scenario = ParseScenario("bad.json", c.text, c.overrides);
  ASSERT_FALSE(scenario.ok()) << c.description;
  EXPECT_EQ(scenario.error().kind, ErrorKind::kInvalidInput);
  for (const auto& expected : c.expected) {
    EXPECT_THAT(scenario.error().message, HasSubstr(expected)) << c.description;
  }
  // Each problem is reported once.
  const auto& message = scenario.error().message;
  std::vector<std::string> lines;
  for (std::size_t start = 0; start <= message.size();) {
    auto end = std::min(message.find('\n', start), message.size());
    lines.push_back(message.substr(start, end - start));
    start = end + 1;
  }
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(std::adjacent_find(lines.begin(), lines.end()), lines.end()) << message;
}

}  // namespace
}  // namespace stampede
