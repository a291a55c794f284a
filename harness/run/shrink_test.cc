#include "run/shrink.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

std::int64_t ValueOf(const ParameterValuesList& values, const std::string& name) {
  for (const auto& [key, value] : values) {
    if (key == name) return value;
  }
  return -1;
}

TEST(ShrinkTest, EachParameterIsBisectedToTheSmallestValueThatReproduces) {
  int calls = 0;
  auto reproduces = [&](const ParameterValuesList& values) -> std::optional<bool> {
    ++calls;
    return ValueOf(values, "requests") >= 37 && ValueOf(values, "connections") >= 3;
  };
  auto result = ShrinkParameters({{"requests", 200}, {"connections", 20}}, reproduces);
  EXPECT_EQ(result.after, (ParameterValuesList{{"requests", 37}, {"connections", 3}}));
  EXPECT_EQ(result.before, (ParameterValuesList{{"requests", 200}, {"connections", 20}}));
  EXPECT_FALSE(result.cut_short);
  EXPECT_EQ(static_cast<std::size_t>(calls), result.trials.size());
  // ceil(log2(200)) + ceil(log2(20)) in the first pass; the second bisects requests again (the
  // connections changed after it), connections not (requests did not change).
  EXPECT_LE(calls, 8 + 5 + 8);
  for (const auto& trial : result.trials) {
    EXPECT_EQ(trial.reproduced,
              ValueOf(trial.values, "requests") >= 37 && ValueOf(trial.values, "connections") >= 3);
  }
}

TEST(ShrinkTest, ALaterPassShrinksWhatAnEarlierOneHadToKeep) {
  // Reproduces while there are no more connections than requests: the first pass can take
  // requests only down to the 20 connections, then connections to 1; the second pass then
  // takes requests to 1.
  auto reproduces = [](const ParameterValuesList& values) -> std::optional<bool> {
    return ValueOf(values, "connections") <= ValueOf(values, "requests");
  };
  auto result = ShrinkParameters({{"requests", 100}, {"connections", 20}}, reproduces);
  EXPECT_EQ(result.after, (ParameterValuesList{{"requests", 1}, {"connections", 1}}));
}

TEST(ShrinkTest, APredicateThatAsksToStopKeepsTheSmallestValuesThatReproducedSoFar) {
  int calls = 0;
  auto reproduces = [&](const ParameterValuesList&) -> std::optional<bool> {
    if (++calls > 2) return std::nullopt;
    return true;
  };
  auto result = ShrinkParameters({{"requests", 200}}, reproduces);
  EXPECT_TRUE(result.cut_short);
  EXPECT_EQ(result.after, (ParameterValuesList{{"requests", 50}}));  // 100, then 50 reproduced
  EXPECT_EQ(result.trials.size(), 2u);
}

TEST(ShrinkTest, AFailureThatNeedsNoneOfTheLoadShrinksEveryParameterToOne) {
  auto always = [](const ParameterValuesList&) -> std::optional<bool> { return true; };
  auto result = ShrinkParameters({{"cycles", 50}, {"tabs", 7}}, always);
  EXPECT_EQ(result.after, (ParameterValuesList{{"cycles", 1}, {"tabs", 1}}));
}

TEST(ShrinkTest, OneParameterIsBisectedOnce) {
  int calls = 0;
  auto reproduces = [&](const ParameterValuesList& values) -> std::optional<bool> {
    ++calls;
    return values[0].second >= 5;
  };
  auto result = ShrinkParameters({{"requests", 12}}, reproduces);
  EXPECT_EQ(result.after[0].second, 5);
  EXPECT_EQ(calls, 4);  // 6 yes, 3 no, 5 yes, 4 no
}

std::vector<Parameter> LabParameters() {
  return {{"bug", "none", {"none", "x"}, ""},
          {"requests", 200, {}, ""},
          {"connections", 1, {}, ""},
          {"stop_at_ms", 300, {}, ""},
          {"nice", -10, {}, ""},
          {"slicer", true, {}, ""},
          {"backend", "epoll", {"epoll", "uring"}, ""},
          {"rate", 2.5, {}, ""}};
}

TEST(ShrinkTest, TheCountsOfTheLoadAreShrunkUnlessParametersAreNamed) {
  auto chosen = ShrinkableParameters(LabParameters(), {});
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(chosen.value(), (ParameterValuesList{{"requests", 200}}));
  auto named = ShrinkableParameters(LabParameters(), {"stop_at_ms", "requests"});
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named.value(), (ParameterValuesList{{"requests", 200}, {"stop_at_ms", 300}}));
  for (const char* bad : {"bug", "nice", "rate", "missing"}) {
    auto refused = ShrinkableParameters(LabParameters(), {bad});
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_NE(refused.error().message.find(std::string("--param ") + bad), std::string::npos);
  }
}

}  // namespace
}  // namespace stampede
