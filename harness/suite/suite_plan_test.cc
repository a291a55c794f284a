#include "suite/suite_plan.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

Parameter Param(const std::string& name, nlohmann::json value,
                std::vector<nlohmann::json> choices = {}) {
  return {name, std::move(value), std::move(choices), ""};
}

std::vector<ScenarioInfo> Lab() {
  return {{"lab/a.json", "a", {Param("bug", "none", {"none", "race"}), Param("requests", 100)}},
          {"lab/b.json", "b", {Param("backend", "epoll", {"epoll", "poll", "uring"})}},
          {"lab/c.json", "c", {}}};
}

std::vector<std::string> Ids(const std::vector<CellPlan>& cells) {
  std::vector<std::string> ids;
  for (const auto& cell : cells) ids.push_back(cell.id);
  return ids;
}

TEST(SuitePlanTest, AStarAxisTakesEachScenariosChoicesAndSkipsScenariosWithoutIt) {
  auto cells = PlanSuite(Lab(), {ParseMatrixAxis("bug=*").value()}, {}, {});
  ASSERT_TRUE(cells.ok()) << cells.error().message;
  EXPECT_EQ(Ids(cells.value()), (std::vector<std::string>{"a[bug=none]", "a[bug=race]", "b", "c"}));
  EXPECT_EQ(cells.value()[1].overrides, (Overrides{{"bug", "race"}}));
  EXPECT_EQ(cells.value()[1].dir, "002-a-bug=race");
}

TEST(SuitePlanTest, AxesMultiplyAndTheLastVariesFastest) {
  std::vector<ScenarioInfo> one = {
      {"x.json", "x", {Param("backend", "epoll"), Param("bug", "none"), Param("n", 1)}}};
  auto cells = PlanSuite(
      one,
      {ParseMatrixAxis("backend=epoll,poll").value(), ParseMatrixAxis("bug=none,race").value()},
      {{"n", "5"}}, {});
  ASSERT_TRUE(cells.ok());
  EXPECT_EQ(Ids(cells.value()),
            (std::vector<std::string>{"x[backend=epoll,bug=none]", "x[backend=epoll,bug=race]",
                                      "x[backend=poll,bug=none]", "x[backend=poll,bug=race]"}));
  EXPECT_EQ(cells.value()[3].overrides,
            (Overrides{{"n", "5"}, {"backend", "poll"}, {"bug", "race"}}));
}

TEST(SuitePlanTest, ExpectFailMatchesTheValueACellRunsWith) {
  auto rule = ParseExpectRule("bug!=none");
  ASSERT_TRUE(rule.ok());
  EXPECT_FALSE(rule.value().equal);
  auto cells = PlanSuite(Lab(), {ParseMatrixAxis("bug=*").value()}, {}, {rule.value()});
  ASSERT_TRUE(cells.ok());
  std::vector<bool> expected;
  for (const auto& cell : cells.value()) expected.push_back(cell.expect_fail);
  EXPECT_EQ(expected, (std::vector<bool>{false, true, false, false}));  // b, c: no "bug"
  // Without a matrix the default decides; a --set changes it.
  auto by_default = PlanSuite(Lab(), {}, {}, {ParseExpectRule("bug=race").value()});
  EXPECT_FALSE(by_default.value()[0].expect_fail);
  auto by_set = PlanSuite(Lab(), {}, {{"bug", "race"}}, {ParseExpectRule("bug=race").value()});
  EXPECT_TRUE(by_set.value()[0].expect_fail);
}

TEST(SuitePlanTest, KeysNoScenarioDeclaresAreRejected) {
  auto matrix = PlanSuite(Lab(), {ParseMatrixAxis("bakend=epoll").value()}, {}, {});
  ASSERT_FALSE(matrix.ok());
  EXPECT_EQ(matrix.error().message, "--matrix bakend: no scenario of the suite has that parameter");
  auto set = PlanSuite(Lab(), {}, {{"request", "5"}}, {});
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().kind, ErrorKind::kInvalidInput);
  auto star = PlanSuite(Lab(), {ParseMatrixAxis("requests=*").value()}, {}, {});
  ASSERT_FALSE(star.ok());
  EXPECT_NE(star.error().message.find("lists no choices"), std::string::npos);
}

TEST(SuitePlanTest, ShardsCoverEveryCellExactlyOnce) {
  auto cells =
      PlanSuite(Lab(), {ParseMatrixAxis("bug=*").value(), ParseMatrixAxis("backend=*").value()}, {},
                {})
          .value();
  ASSERT_EQ(cells.size(), 6u);  // a x 2, b x 3, c
  std::vector<std::string> merged;
  for (int k = 1; k <= 4; ++k) {
    for (const auto& cell : ShardCells(cells, k, 4)) merged.push_back(cell.id);
  }
  std::sort(merged.begin(), merged.end());
  auto all = Ids(cells);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(merged, all);
  EXPECT_EQ(ShardCells(cells, 2, 4).front().id, cells[1].id);
}

TEST(SuitePlanTest, ParsesAndRejectsFlags) {
  EXPECT_EQ(ParseShard("2/3").value(), (std::pair{2, 3}));
  for (const char* bad : {"0/3", "4/3", "3", "a/b", "1/0", "/3"}) {
    EXPECT_FALSE(ParseShard(bad).ok()) << bad;
  }
  EXPECT_FALSE(ParseMatrixAxis("bug").ok());
  EXPECT_FALSE(ParseMatrixAxis("bug=a,,b").ok());
  EXPECT_FALSE(ParseExpectRule("=x").ok());
  EXPECT_FALSE(ParseExpectRule("!=x").ok());
  EXPECT_EQ(ParseExpectRule("bug=race").value().value, "race");
  auto all = PlanSuite(Lab(), {}, {}, {ParseExpectRule("*").value()});
  ASSERT_TRUE(all.ok());
  for (const auto& cell : all.value()) EXPECT_TRUE(cell.expect_fail) << cell.id;
}

}  // namespace
}  // namespace stampede
