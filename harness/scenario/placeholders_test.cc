#include "scenario/placeholders.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace stampede {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(PlaceholderNamesTest, ListsNamesInOrder) {
  auto names = PlaceholderNames("http://127.0.0.1:{server.port}/echo?seq={seq}&again={seq}");
  ASSERT_TRUE(names.ok()) << names.error().message;
  EXPECT_THAT(names.value(), ElementsAre("server.port", "seq", "seq"));
}

TEST(PlaceholderNamesTest, PlainTextHasNone) {
  auto names = PlaceholderNames("no placeholders here");
  ASSERT_TRUE(names.ok());
  EXPECT_THAT(names.value(), IsEmpty());
  EXPECT_THAT(PlaceholderNames("").value(), IsEmpty());
}

TEST(PlaceholderNamesTest, EscapedBracesAreNotPlaceholders) {
  auto names = PlaceholderNames("{{\"json\": {value}}}");
  ASSERT_TRUE(names.ok()) << names.error().message;
  EXPECT_THAT(names.value(), ElementsAre("value"));
  EXPECT_THAT(PlaceholderNames("{{not}}").value(), IsEmpty());
}

TEST(PlaceholderNamesTest, UnbalancedBracesAreInvalid) {
  auto unclosed = PlaceholderNames("abc {port");
  ASSERT_FALSE(unclosed.ok());
  EXPECT_EQ(unclosed.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(unclosed.error().message, HasSubstr("unclosed \"{\" in \"abc {port\""));
  EXPECT_THAT(unclosed.error().message, HasSubstr("write {{"));

  auto unmatched = PlaceholderNames("abc } def");
  ASSERT_FALSE(unmatched.ok());
  EXPECT_THAT(unmatched.error().message, HasSubstr("unmatched \"}\" in \"abc } def\""));
  EXPECT_THAT(unmatched.error().message, HasSubstr("write }}"));
}

TEST(PlaceholderNamesTest, EmptyAndNestedPlaceholdersAreInvalid) {
  auto empty = PlaceholderNames("a{}b");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.error().message, HasSubstr("bad placeholder in \"a{}b\""));

  auto nested = PlaceholderNames("{a{b}");
  ASSERT_FALSE(nested.ok());
  EXPECT_THAT(nested.error().message, HasSubstr("bad placeholder"));
}

TEST(ExpandPlaceholdersTest, ReplacesKnownPlaceholders) {
  PlaceholderValues values{{"port", "8080"}, {"seq", "7"}};
  auto expanded = ExpandPlaceholders("http://127.0.0.1:{port}/?seq={seq}", values, false);
  ASSERT_TRUE(expanded.ok()) << expanded.error().message;
  EXPECT_EQ(expanded.value(), "http://127.0.0.1:8080/?seq=7");
}

TEST(ExpandPlaceholdersTest, KeepUnknownKeepsThemAndTheEscapes) {
  PlaceholderValues values{{"requests", "200"}};
  auto expanded = ExpandPlaceholders("{requests} to {server.port} {{literal}}", values, true);
  ASSERT_TRUE(expanded.ok()) << expanded.error().message;
  // Still a template: a second pass can expand {server.port} and unescape the braces.
  EXPECT_EQ(expanded.value(), "200 to {server.port} {{literal}}");

  auto second = ExpandPlaceholders(expanded.value(), {{"server.port", "9000"}}, false);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second.value(), "200 to 9000 {literal}");
}

TEST(ExpandPlaceholdersTest, WithoutKeepUnknownAnUnknownPlaceholderIsAnError) {
  auto expanded = ExpandPlaceholders("a {nosuch} b", {{"port", "1"}}, false);
  ASSERT_FALSE(expanded.ok());
  EXPECT_EQ(expanded.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(expanded.error().message, HasSubstr("unknown placeholder {nosuch}"));
  EXPECT_THAT(expanded.error().message, HasSubstr("\"a {nosuch} b\""));
}

TEST(ExpandPlaceholdersTest, EscapesBecomeSingleBracesInTheFinalPass) {
  auto expanded = ExpandPlaceholders("{{\"seq\": {seq}}}", {{"seq", "3"}}, false);
  ASSERT_TRUE(expanded.ok()) << expanded.error().message;
  EXPECT_EQ(expanded.value(), "{\"seq\": 3}");
}

TEST(ExpandPlaceholdersTest, ValuesAreInsertedVerbatim) {
  // A value is not itself a template: its braces are not expanded again in this pass.
  auto expanded = ExpandPlaceholders("x={v}", {{"v", "{seq}"}}, false);
  ASSERT_TRUE(expanded.ok()) << expanded.error().message;
  EXPECT_EQ(expanded.value(), "x={seq}");
}

TEST(ExpandPlaceholdersTest, UnbalancedBracesAreErrorsInBothModes) {
  for (bool keep_unknown : {true, false}) {
    EXPECT_FALSE(ExpandPlaceholders("{port", {{"port", "1"}}, keep_unknown).ok());
    EXPECT_FALSE(ExpandPlaceholders("port}", {{"port", "1"}}, keep_unknown).ok());
  }
}

TEST(ExpandPlaceholdersTest, TextWithoutPlaceholdersIsUnchanged) {
  EXPECT_EQ(ExpandPlaceholders("", {}, false).value(), "");
  EXPECT_EQ(ExpandPlaceholders("plain", {}, true).value(), "plain");
}

TEST(SolePlaceholderTest, ExactlyOnePlaceholder) {
  EXPECT_EQ(SolePlaceholder("{requests}"), "requests");
  EXPECT_EQ(SolePlaceholder("{server.port}"), "server.port");
  EXPECT_EQ(SolePlaceholder("{x}"), "x");
}

TEST(SolePlaceholderTest, AnythingElseIsEmpty) {
  EXPECT_EQ(SolePlaceholder(""), "");
  EXPECT_EQ(SolePlaceholder("{}"), "");
  EXPECT_EQ(SolePlaceholder("requests"), "");
  EXPECT_EQ(SolePlaceholder(" {requests}"), "");
  EXPECT_EQ(SolePlaceholder("{requests} "), "");
  EXPECT_EQ(SolePlaceholder("{a}{b}"), "");
  EXPECT_EQ(SolePlaceholder("{a}-{b}"), "");
  EXPECT_EQ(SolePlaceholder("{{a}}"), "");
}

}  // namespace
}  // namespace stampede

namespace stampede {
namespace {

TEST(ExpandSeqTest, ReplacesSeqAndUnescapesBraces) {
  EXPECT_EQ(ExpandSeq("/echo?seq={seq}", "12"), "/echo?seq=12");
  EXPECT_EQ(ExpandSeq("{{\"n\": {seq}}}", "7"), "{\"n\": 7}");
  EXPECT_EQ(ExpandSeq("set k{seq} 0 0 5\r\n", "3"), "set k3 0 0 5\r\n");
  EXPECT_EQ(ExpandSeq("{other}", "1"), "{other}");
  EXPECT_EQ(ExpandSeq("", "1"), "");
}

}  // namespace
}  // namespace stampede
