// JsonSource against hostile text: nesting, duplicate keys, bytes that are not UTF-8, sizes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "scenario/json_source.h"

namespace stampede {
namespace {

using ::testing::HasSubstr;

std::string Nested(std::size_t depth, char open = '[', char close = ']') {
  return std::string(depth, open) + std::string(depth, close);
}

Error MustFail(const std::string& text) {
  auto source = JsonSource::Parse("doc.json", text);
  EXPECT_FALSE(source.ok());
  if (source.ok()) return {};
  EXPECT_EQ(source.error().kind, ErrorKind::kInvalidInput);
  return source.error();
}

std::string At(const JsonSource& source, const std::string& pointer) {
  auto where = source.Locate(pointer);
  return std::to_string(where.line) + ":" + std::to_string(where.column);
}

TEST(JsonSourceLimitsTest, NestingUpToTheLimitParses) {
  auto source = JsonSource::Parse("doc.json", Nested(JsonSource::kMaxDepth));
  ASSERT_TRUE(source.ok()) << source.error().message;
  std::string deepest;
  for (std::size_t i = 1; i < JsonSource::kMaxDepth; ++i) deepest += "/0";
  EXPECT_EQ(At(source.value(), deepest), "1:64");
}

TEST(JsonSourceLimitsTest, DeeperNestingNamesFileLineColumnAndDepth) {
  EXPECT_EQ(MustFail(Nested(JsonSource::kMaxDepth + 1)).message,
            "doc.json:1:65: nested too deeply: depth 65 here, more than the 64 levels of arrays "
            "and objects allowed");
  EXPECT_THAT(MustFail("{\n \"a\": " + Nested(100000, '[', ' ')).message,
              HasSubstr("doc.json:2:70: nested too deeply: depth 65"));
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  EXPECT_THAT(MustFail(objects).message, HasSubstr("doc.json:1:321: nested too deeply"));
}

TEST(JsonSourceLimitsTest, DuplicateKeyNamesBothLocations) {
  EXPECT_EQ(MustFail("{\n  \"workload\": 1,\n  \"name\": \"x\",\n  \"workload\": 2\n}").message,
            "doc.json:4:3: at /: duplicate key \"workload\", the first is at doc.json:2:3");
}

TEST(JsonSourceLimitsTest, DuplicateKeyInANestedObjectNamesItsPath) {
  EXPECT_EQ(MustFail("{\"targets\": [{}, {\"name\": \"a\",\n \"name\": \"b\"}]}").message,
            "doc.json:2:2: at /targets/1: duplicate key \"name\", the first is at doc.json:1:19");
  EXPECT_THAT(MustFail("{\"a/b\": {\"k\": 1, \"k\": 2}}").message, HasSubstr("at /a~1b:"));
}

TEST(JsonSourceLimitsTest, SameKeyInDifferentObjectsIsFine) {
  auto source = JsonSource::Parse("doc.json", "[{\"k\": 1}, {\"k\": 2, \"j\": {\"k\": 3}}]");
  ASSERT_TRUE(source.ok()) << source.error().message;
  EXPECT_EQ(At(source.value(), "/1/k"), "1:13");
  EXPECT_EQ(At(source.value(), "/1/j/k"), "1:27");
}

TEST(JsonSourceLimitsTest, TextThatIsNotUtf8IsLocated) {
  EXPECT_EQ(MustFail("{\"name\":\n \"caf\xe9\"}").message,
            "doc.json:2:6: not UTF-8 text: byte 0xE9 is not part of a UTF-8 character (save the "
            "file as UTF-8)");
  EXPECT_THAT(MustFail("\xff\xfe{\0\"\0").message, HasSubstr("doc.json:1:1: not UTF-8"));
  EXPECT_THAT(MustFail("[\"\xc0\xaf\"]").message, HasSubstr("1:3: not UTF-8"));  // overlong
  EXPECT_THAT(MustFail("[\"\xed\xa0\x80\"]").message, HasSubstr("not UTF-8"));   // surrogate
  EXPECT_THAT(MustFail("[\"\xf4\x90\x80\x80\"]").message, HasSubstr("not UTF-8"));
  EXPECT_THAT(MustFail("[\"\xe2\x82\"]").message, HasSubstr("not UTF-8"));  // cut short
}

TEST(JsonSourceLimitsTest, Utf8TextParses) {
  auto source =
      JsonSource::Parse("doc.json", "{\"name\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x98\"}");
  ASSERT_TRUE(source.ok()) << source.error().message;
  EXPECT_EQ(source.value().root()["name"], "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x98");
}

TEST(JsonSourceLimitsTest, ANumberTooLargeForADoubleIsLocated) {
  EXPECT_EQ(MustFail("{\"timeout_ms\":\n  1e999}").message,
            "doc.json:2:3: invalid JSON: number overflow parsing '1e999'");
  EXPECT_THAT(MustFail("[1, -1e400]").message, HasSubstr("doc.json:1:5: invalid JSON: number"));
}

TEST(JsonSourceLimitsTest, WideDocumentsAreLocatedElementByElement) {
  std::string text = "{\"list\": [";
  for (int i = 0; i < 100000; ++i) text += i == 0 ? "\n0" : ",\n0";
  text += "]}";
  auto source = JsonSource::Parse("doc.json", text);
  ASSERT_TRUE(source.ok()) << source.error().message;
  EXPECT_EQ(At(source.value(), "/list/99999"), "100001:1");
  EXPECT_EQ(At(source.value(), "/list/100000"), "1:2");  // no such element: the array
  EXPECT_EQ(At(source.value(), "/list/x"), "1:2");
}

class JsonSourceLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("stampede-json-limits-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(JsonSourceLoadTest, ADirectoryIsNamedAsSuch) {
  auto source = JsonSource::Load(dir_);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(source.error().message, dir_.string() + " is a directory, not a scenario file");
}

TEST_F(JsonSourceLoadTest, AFileLargerThanTheLimitIsRefusedBeforeItIsRead) {
  auto path = dir_ / "big.json";
  std::ofstream(path) << "{}";
  std::filesystem::resize_file(path, 100 * 1024 * 1024);  // sparse: nothing to read cheaply
  auto source = JsonSource::Load(path);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(source.error().message,
            path.string() +
                ": 100 MiB (104857600 bytes), larger than the 1 MiB a scenario file may have");
}

TEST_F(JsonSourceLoadTest, AnEndlessDeviceIsCutOffAtTheLimit) {
  auto source = JsonSource::Load("/dev/zero");
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error().message, "/dev/zero: larger than the 1 MiB a scenario file may have");
}

TEST_F(JsonSourceLoadTest, AFileOfExactlyTheLimitIsRead) {
  auto path = dir_ / "full.json";
  std::ofstream(path) << "{}" << std::string(JsonSource::kMaxFileBytes - 2, ' ');
  auto source = JsonSource::Load(path);
  ASSERT_TRUE(source.ok()) << source.error().message;
}

}  // namespace
}  // namespace stampede
