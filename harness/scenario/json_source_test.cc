#include "scenario/json_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace stampede {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Line and column as "LINE:COL", for compact assertions.
std::string At(const JsonSource& source, const std::string& pointer) {
  auto where = source.Locate(pointer);
  return std::to_string(where.line) + ":" + std::to_string(where.column);
}

JsonSource MustParse(const std::string& text) {
  auto source = JsonSource::Parse("doc.json", text);
  EXPECT_TRUE(source.ok()) << source.error().message;
  return std::move(source).value();
}

constexpr const char* kDocument =
    "{\n"                                                           // line 1
    "  \"name\": \"demo\",\n"                                       // line 2
    "  \"targets\": [\n"                                            // line 3
    "    {\"name\": \"a\", \"command\": [\"x\"]},\n"                // line 4
    "    {\n"                                                       // line 5
    "      \"name\": \"b\",\n"                                      // line 6
    "      \"command\": [\"y\", 5, true, null, {\"k\": 1}, [2]]\n"  // line 7
    "    }\n"                                                       // line 8
    "  ],\n"                                                        // line 9
    "  \"nested\": {\"inner\": {\"deep\": -1.5e3}},\n"              // line 10
    "  \"a/b\": 1, \"c~d\": 2\n"                                    // line 11
    "}\n";

TEST(JsonSourceTest, ParsesTheDocument) {
  auto source = MustParse(kDocument);
  EXPECT_EQ(source.name(), "doc.json");
  EXPECT_EQ(source.root()["name"], "demo");
  EXPECT_EQ(source.root()["targets"][1]["command"][1], 5);
  EXPECT_EQ(source.root()["nested"]["inner"]["deep"], -1500.0);
}

TEST(JsonSourceTest, RootIsAtItsOpeningBrace) {
  EXPECT_EQ(At(MustParse(kDocument), ""), "1:1");
  EXPECT_EQ(At(MustParse("\n\n   [1]"), ""), "3:4");
}

TEST(JsonSourceTest, ObjectMembersAreAtTheStartOfTheirKey) {
  auto source = MustParse(kDocument);
  EXPECT_EQ(At(source, "/name"), "2:3");
  EXPECT_EQ(At(source, "/targets"), "3:3");
  EXPECT_EQ(At(source, "/nested"), "10:3");
}

TEST(JsonSourceTest, ArrayElementsAreAtTheStartOfTheirValue) {
  auto source = MustParse(kDocument);
  EXPECT_EQ(At(source, "/targets/0"), "4:5");
  EXPECT_EQ(At(source, "/targets/1"), "5:5");
  EXPECT_EQ(At(source, "/targets/1/command/0"), "7:19");  // "y"
  EXPECT_EQ(At(source, "/targets/1/command/1"), "7:24");  // 5
  EXPECT_EQ(At(source, "/targets/1/command/2"), "7:27");  // true
  EXPECT_EQ(At(source, "/targets/1/command/3"), "7:33");  // null
  EXPECT_EQ(At(source, "/targets/1/command/4"), "7:39");  // {"k": 1}
  EXPECT_EQ(At(source, "/targets/1/command/5"), "7:49");  // [2]
}

TEST(JsonSourceTest, MembersInsideArrayElementsBelongToTheirOwnElement) {
  auto source = MustParse(kDocument);
  EXPECT_EQ(At(source, "/targets/0/name"), "4:6");
  EXPECT_EQ(At(source, "/targets/0/command"), "4:19");
  EXPECT_EQ(At(source, "/targets/1/name"), "6:7");
  EXPECT_EQ(At(source, "/targets/1/command"), "7:7");
  EXPECT_EQ(At(source, "/targets/1/command/4/k"), "7:40");
  EXPECT_EQ(At(source, "/targets/1/command/5/0"), "7:50");
}

TEST(JsonSourceTest, NestedMembers) {
  auto source = MustParse(kDocument);
  EXPECT_EQ(At(source, "/nested/inner"), "10:14");
  EXPECT_EQ(At(source, "/nested/inner/deep"), "10:24");
}

TEST(JsonSourceTest, KeysNeedingEscapesInPointers) {
  auto source = MustParse(kDocument);
  EXPECT_EQ(At(source, "/a~1b"), "11:3");
  EXPECT_EQ(At(source, "/c~0d"), "11:13");
}

TEST(JsonSourceTest, KeysWithEscapedQuotesAreLocatedAtTheirOpeningQuote) {
  auto source = MustParse("{\"x\": 1,\n \"a\\\"b\\\\\": 2}");
  EXPECT_EQ(At(source, "/a\"b\\"), "2:2");
}

TEST(JsonSourceTest, NumbersAtTheEndOfTheTextAndBeforeBrackets) {
  EXPECT_EQ(At(MustParse("[10,200]"), "/1"), "1:5");
  EXPECT_EQ(At(MustParse("[10, 200 ]"), "/1"), "1:6");
  EXPECT_EQ(At(MustParse("{\"n\": 42}"), "/n"), "1:2");
  EXPECT_EQ(At(MustParse("42"), ""), "1:1");
}

TEST(JsonSourceTest, UnknownPointerFallsBackToTheNearestKnownAncestor) {
  auto source = MustParse(kDocument);
  EXPECT_EQ(At(source, "/targets/1/env/HOME"), At(source, "/targets/1"));
  EXPECT_EQ(At(source, "/nosuch"), "1:1");
}

TEST(JsonSourceTest, EmptyContainersAreLocated) {
  auto source = MustParse("{\"a\": [],\n \"b\": {}, \"c\": [[], {}]}");
  EXPECT_EQ(At(source, "/a"), "1:2");
  EXPECT_EQ(At(source, "/b"), "2:2");
  EXPECT_EQ(At(source, "/c/0"), "2:17");
  EXPECT_EQ(At(source, "/c/1"), "2:21");
}

TEST(JsonSourceTest, DescribeNamesFileLineColumnAndPath) {
  auto source = MustParse(kDocument);
  EXPECT_EQ(source.Describe("/targets/1/name", "bad name"),
            "doc.json:6:7: at /targets/1/name: bad name");
  EXPECT_EQ(source.Describe("", "expected an object"), "doc.json:1:1: at /: expected an object");
}

TEST(JsonSourceTest, DescribeLeavesOutAnUnknownLocation) {
  JsonSource empty;
  EXPECT_EQ(empty.Describe("/x", "oops"), ": at /x: oops");
}

struct SyntaxErrorCase {
  const char* text;
  const char* where;  // "doc.json:LINE:COL: invalid JSON: "
  const char* what;
};

void PrintTo(const SyntaxErrorCase& c, std::ostream* os) {
  *os << '"' << c.text << '"';
}

class JsonSyntaxErrorTest : public ::testing::TestWithParam<SyntaxErrorCase> {};

TEST_P(JsonSyntaxErrorTest, NamesFileLineAndColumn) {
  const auto& c = GetParam();
  auto source = JsonSource::Parse("doc.json", c.text);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(source.error().message, StartsWith(c.where));
  EXPECT_THAT(source.error().message, HasSubstr(c.what));
  // nlohmann's own "at line N, column M" is not repeated.
  EXPECT_THAT(source.error().message, ::testing::Not(HasSubstr("at line")));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, JsonSyntaxErrorTest,
    ::testing::Values(
        SyntaxErrorCase{"{\n  \"a\": [1, 2,],\n  \"b\": 1\n}",
                        "doc.json:2:14: invalid JSON: ", "unexpected ']'"},
        SyntaxErrorCase{"{\n  \"a\": 1,\n}\n",
                        "doc.json:3:1: invalid JSON: ", "unexpected '}'; expected string literal"},
        SyntaxErrorCase{"{\n  \"a\": 1\n",
                        "doc.json:3:1: invalid JSON: ", "unexpected end of input"},
        SyntaxErrorCase{"{\"a\": tru}", "doc.json:1:10: invalid JSON: ", "invalid literal"},
        SyntaxErrorCase{"{\"a\" 1}", "doc.json:1:6: invalid JSON: ", "expected ':'"},
        SyntaxErrorCase{"", "doc.json:1:1: invalid JSON: ", "the text is empty"},
        SyntaxErrorCase{" \n\t ", "doc.json:1:1: invalid JSON: ", "the text is empty"},
        SyntaxErrorCase{"{} {}", "doc.json:1:4: invalid JSON: ", "expected end of input"}));

TEST(JsonSourceTest, LoadReadsAFile) {
  auto path = std::filesystem::temp_directory_path() / "stampede_json_source_test.json";
  {
    std::ofstream out(path);
    out << "{\n  \"x\": [1,\n  2]\n}\n";
  }
  auto source = JsonSource::Load(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(source.ok()) << source.error().message;
  EXPECT_EQ(source.value().name(), path.string());
  EXPECT_EQ(At(source.value(), "/x/1"), "3:3");
}

// A path the user gave that names no file is bad usage (exit 2), not a harness failure.
TEST(JsonSourceTest, LoadOfAMissingFileIsInvalidInputWithTheReason) {
  auto source = JsonSource::Load("/nonexistent/stampede/scenario.json");
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(source.error().message,
            "cannot read \"/nonexistent/stampede/scenario.json\": No such file or directory");
}

TEST(JsonSourceTest, ParameterValuesAreMarked) {
  auto source = MustParse("{\"n\": 1}");
  EXPECT_FALSE(source.IsParameterValue("/n"));
  source.MarkParameterValue("/n");
  EXPECT_TRUE(source.IsParameterValue("/n"));
}

}  // namespace
}  // namespace stampede
