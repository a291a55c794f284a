#include "scenario/parameters.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace stampede {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

JsonSource MustParse(const std::string& text) {
  auto source = JsonSource::Parse("p.json", text);
  EXPECT_TRUE(source.ok()) << source.error().message;
  return std::move(source).value();
}

std::vector<Parameter> Params() {
  return {
      {"requests", 200, {}, "per round"}, {"rate", 0.5, {}, ""},
      {"verbose", false, {}, ""},         {"bug", "none", {"none", "unsafe-cache"}, ""},
      {"level", 1, {1, 2, 3}, ""},
  };
}

const Parameter& Find(const std::vector<Parameter>& params, const std::string& name) {
  for (const auto& p : params) {
    if (p.name == name) return p;
  }
  ADD_FAILURE() << "no parameter " << name;
  return params.front();
}

// ---- ParseOverride ----

TEST(ParseOverrideTest, SplitsAtTheFirstEquals) {
  auto parsed = ParseOverride("url=http://x/?a=b");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed.value().first, "url");
  EXPECT_EQ(parsed.value().second, "http://x/?a=b");
}

TEST(ParseOverrideTest, EmptyValueIsAllowed) {
  auto parsed = ParseOverride("bug=");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().first, "bug");
  EXPECT_EQ(parsed.value().second, "");
}

TEST(ParseOverrideTest, MissingEqualsOrKeyIsInvalid) {
  for (const char* text : {"requests", "=200", ""}) {
    auto parsed = ParseOverride(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().kind, ErrorKind::kInvalidInput);
    EXPECT_THAT(parsed.error().message, HasSubstr("--set expects key=value"));
    EXPECT_THAT(parsed.error().message, HasSubstr("\"" + std::string(text) + "\""));
  }
}

TEST(ParameterValuesTest, NamesEachParameterWithItsValue) {
  std::vector<Parameter> parameters = {{"bug", "none", {}, ""}, {"cycles", 50, {}, ""}};
  EXPECT_EQ(ParameterValues(parameters), (nlohmann::json{{"bug", "none"}, {"cycles", 50}}));
  EXPECT_EQ(ParameterValues({}), nlohmann::json::object());
}

// ---- ApplyOverrides ----

TEST(ApplyOverridesTest, ConvertsToTheTypeOfTheDefault) {
  auto params = Params();
  auto applied = ApplyOverrides(
      params, {{"requests", "50"}, {"rate", "0.25"}, {"verbose", "true"}, {"bug", "unsafe-cache"}});
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_EQ(Find(params, "requests").value, json(50));
  EXPECT_TRUE(Find(params, "requests").value.is_number_integer());
  EXPECT_EQ(Find(params, "rate").value, json(0.25));
  EXPECT_EQ(Find(params, "verbose").value, json(true));
  EXPECT_EQ(Find(params, "bug").value, json("unsafe-cache"));
}

TEST(ApplyOverridesTest, NumberParametersAcceptIntegersAndExponents) {
  auto params = Params();
  ASSERT_TRUE(ApplyOverrides(params, {{"rate", "2"}}).ok());
  EXPECT_EQ(Find(params, "rate").value, json(2));
  params = Params();
  ASSERT_TRUE(ApplyOverrides(params, {{"rate", "1e-3"}}).ok());
  EXPECT_DOUBLE_EQ(Find(params, "rate").value.get<double>(), 0.001);
}

TEST(ApplyOverridesTest, StringParametersTakeTheTextAsIs) {
  std::vector<Parameter> params = {{"name", "x", {}, ""}};
  ASSERT_TRUE(ApplyOverrides(params, {{"name", "42"}}).ok());
  EXPECT_EQ(params[0].value, json("42"));
}

TEST(ApplyOverridesTest, LaterOverridesWin) {
  auto params = Params();
  ASSERT_TRUE(ApplyOverrides(params, {{"requests", "1"}, {"requests", "2"}}).ok());
  EXPECT_EQ(Find(params, "requests").value, json(2));
}

TEST(ApplyOverridesTest, NoOverridesLeaveTheDefaults) {
  auto params = Params();
  ASSERT_TRUE(ApplyOverrides(params, {}).ok());
  EXPECT_EQ(Find(params, "requests").value, json(200));
}

struct BadOverride {
  const char* name;
  const char* text;
  const char* message;
};

class ApplyOverridesErrorTest : public ::testing::TestWithParam<BadOverride> {};

TEST_P(ApplyOverridesErrorTest, IsInvalidInputAndLeavesTheValue) {
  const auto& c = GetParam();
  auto params = Params();
  auto before = Find(params, c.name).value;
  auto applied = ApplyOverrides(params, {{c.name, c.text}});
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(applied.error().message, c.message);
  EXPECT_EQ(Find(params, c.name).value, before);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ApplyOverridesErrorTest,
    ::testing::Values(BadOverride{"requests", "many", "--set requests=many: expected an integer"},
                      BadOverride{"requests", "2.5", "--set requests=2.5: expected an integer"},
                      BadOverride{"requests", "12abc", "--set requests=12abc: expected an integer"},
                      BadOverride{"requests", "", "--set requests=: expected an integer"},
                      BadOverride{"rate", "fast", "--set rate=fast: expected a number"},
                      BadOverride{"rate", "\"1\"", "--set rate=\"1\": expected a number"},
                      BadOverride{"verbose", "yes", "--set verbose=yes: expected true or false"},
                      BadOverride{"verbose", "1", "--set verbose=1: expected true or false"},
                      BadOverride{"bug", "crash",
                                  "--set bug=crash: must be one of none, unsafe-cache"},
                      BadOverride{"level", "4", "--set level=4: must be one of 1, 2, 3"}));

TEST(ApplyOverridesTest, UnknownParameterListsTheKnownOnes) {
  auto params = Params();
  auto applied = ApplyOverrides(params, {{"reqests", "5"}});
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().message,
            "--set reqests: the scenario has no parameter \"reqests\" (parameters: requests, "
            "rate, verbose, bug, level)");
}

TEST(ApplyOverridesTest, UnknownParameterWhenThereAreNone) {
  std::vector<Parameter> params;
  auto applied = ApplyOverrides(params, {{"x", "1"}});
  ASSERT_FALSE(applied.ok());
  EXPECT_THAT(applied.error().message, HasSubstr("(parameters: none)"));
}

// ---- ReadParameters ----

TEST(ReadParametersTest, ReadsDefaultsChoicesAndDescriptions) {
  auto source = MustParse(R"({"params": {
    "bug": {"default": "none", "choices": ["none", "unsafe-cache"], "description": "d"},
    "requests": {"default": 200}
  }})");
  Diagnostics diagnostics;
  auto params = ReadParameters(source, source.root()["params"], diagnostics);
  EXPECT_TRUE(diagnostics.empty()) << diagnostics.Joined();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(Find(params, "bug").value, json("none"));
  EXPECT_THAT(Find(params, "bug").choices, ElementsAre(json("none"), json("unsafe-cache")));
  EXPECT_EQ(Find(params, "bug").description, "d");
  EXPECT_EQ(Find(params, "requests").value, json(200));
  EXPECT_THAT(Find(params, "requests").choices, IsEmpty());
}

TEST(ReadParametersTest, ReportsMistakesWithLocations) {
  auto source = MustParse(R"({"params": {
    "a": {"defualt": 1},
    "b": {"default": [1]},
    "c": 5,
    "d": {"default": null},
    "e": {"default": 1, "choices": [2, 3]},
    "f": {"default": "x", "choices": ["x", {}]}
  }})");
  Diagnostics diagnostics;
  ReadParameters(source, source.root()["params"], diagnostics);
  EXPECT_THAT(
      diagnostics.messages(),
      ElementsAre("p.json:2:5: at /params/a: missing required field \"default\"",
                  "p.json:2:11: at /params/a/defualt: unknown field \"defualt\" (did you mean "
                  "\"default\"?)",
                  "p.json:3:11: at /params/b/default: must be a string, number or boolean",
                  "p.json:4:5: at /params/c: expected an object, got the number 5",
                  "p.json:5:11: at /params/d/default: must be a string, number or boolean",
                  "p.json:6:25: at /params/e/choices: must include the default 1",
                  "p.json:7:44: at /params/f/choices/1: must be a string, number or boolean"));
}

// ---- ParameterText ----

TEST(ParameterTextTest, StringsAsIsOthersAsJson) {
  auto text = ParameterText(Params());
  EXPECT_EQ(text.at("requests"), "200");
  EXPECT_EQ(text.at("rate"), "0.5");
  EXPECT_EQ(text.at("verbose"), "false");
  EXPECT_EQ(text.at("bug"), "none");
}

// ---- SubstituteParameters ----

class SubstituteParametersTest : public ::testing::Test {
 protected:
  void Substitute(const std::string& text) {
    auto parsed = JsonSource::Parse("s.json", text);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    source_ = std::move(parsed).value();
    document_ = source_.root();
    SubstituteParameters(document_, Params(), source_, "", diagnostics_);
  }

  JsonSource source_;
  json document_;
  Diagnostics diagnostics_;
};

TEST_F(SubstituteParametersTest, SolePlaceholderKeepsTheParameterType) {
  Substitute(R"({"n": "{requests}", "r": "{rate}", "v": "{verbose}", "b": "{bug}"})");
  EXPECT_TRUE(diagnostics_.empty()) << diagnostics_.Joined();
  EXPECT_EQ(document_["n"], json(200));
  EXPECT_EQ(document_["r"], json(0.5));
  EXPECT_EQ(document_["v"], json(false));
  EXPECT_EQ(document_["b"], json("none"));
  // Numbers and booleans are marked so that they may stand where text is expected.
  EXPECT_TRUE(source_.IsParameterValue("/n"));
  EXPECT_TRUE(source_.IsParameterValue("/r"));
  EXPECT_TRUE(source_.IsParameterValue("/v"));
  EXPECT_FALSE(source_.IsParameterValue("/b"));
}

TEST_F(SubstituteParametersTest, EmbeddedPlaceholderInterpolatesText) {
  Substitute(R"({"cmd": ["--requests={requests}", "--bug", "x{bug}y", "{rate}{verbose}"]})");
  EXPECT_TRUE(diagnostics_.empty()) << diagnostics_.Joined();
  EXPECT_EQ(document_["cmd"], json({"--requests=200", "--bug", "xnoney", "0.5false"}));
  EXPECT_FALSE(source_.IsParameterValue("/cmd/0"));
}

TEST_F(SubstituteParametersTest, UnknownPlaceholdersAndEscapesAreKeptForRunTime) {
  Substitute(R"({"url": "http://127.0.0.1:{server.port}/?n={requests}&s={seq}&j={{x}}",
                 "port": "{port}"})");
  EXPECT_TRUE(diagnostics_.empty()) << diagnostics_.Joined();
  EXPECT_EQ(document_["url"], json("http://127.0.0.1:{server.port}/?n=200&s={seq}&j={{x}}"));
  EXPECT_EQ(document_["port"], json("{port}"));
  EXPECT_FALSE(source_.IsParameterValue("/port"));
}

TEST_F(SubstituteParametersTest, WalksNestedObjectsAndArrays) {
  Substitute(R"({"a": {"b": [{"c": "{requests}"}, "{level}"]}, "n": 7, "t": true, "z": null})");
  EXPECT_TRUE(diagnostics_.empty()) << diagnostics_.Joined();
  EXPECT_EQ(document_["a"]["b"][0]["c"], json(200));
  EXPECT_EQ(document_["a"]["b"][1], json(1));
  EXPECT_TRUE(source_.IsParameterValue("/a/b/0/c"));
  EXPECT_TRUE(source_.IsParameterValue("/a/b/1"));
  EXPECT_EQ(document_["n"], json(7));
  EXPECT_EQ(document_["t"], json(true));
  EXPECT_TRUE(document_["z"].is_null());
}

TEST_F(SubstituteParametersTest, UnbalancedBracesAreReportedWithTheirLocation) {
  Substitute("{\n  \"x\": \"ok\",\n  \"url\": \"http://{requests\"\n}");
  EXPECT_THAT(diagnostics_.messages(),
              ElementsAre(HasSubstr("s.json:3:3: at /url: unclosed \"{\"")));
}

}  // namespace
}  // namespace stampede
