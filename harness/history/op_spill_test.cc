#include "history/op_spill.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "history/op_merge.h"

namespace stampede {
namespace {

std::filesystem::path TempPath(const char* name) {
  return std::filesystem::temp_directory_path() /
         (std::string("stampede-spill-") + std::to_string(getpid()) + "-" + name);
}

void ExpectSame(const Operation& a, const Operation& b) {
  EXPECT_EQ(nlohmann::json(a), nlohmann::json(b));
}

std::vector<Operation> SampleOps() {
  return {
      {OpType::kInvoke, 1, 0, -1, 7, "PING", "abc:0:7", "", "", "flood", 0},
      {OpType::kOk, 123456789, 3, 3, 9, "GET", "v-3-9", std::string("\0\xff", 2), "", ""},
      {OpType::kFail, 5, -1, 2, -1, "", "", "", "protocol error: unexpected byte 0x16", "s"},
      {OpType::kInfo, INT64_MAX, INT32_MAX, INT32_MIN, INT64_MIN, "SET", "", "", "no reply", ""},
  };
}

// Writes `ops` to a spill file and reads them back: every field as written, then a clean end.
void ExpectRoundTrip(const char* name, const std::vector<Operation>& ops) {
  const auto path = TempPath(name);
  OpSpillWriter writer;
  ASSERT_TRUE(writer.Open(path).ok());
  for (const auto& op : ops) writer.Write(op);
  ASSERT_TRUE(writer.Close().ok());
  EXPECT_EQ(writer.written(), static_cast<std::int64_t>(ops.size()));
  OpSpillReader reader;
  ASSERT_TRUE(reader.Open(path).ok());
  Operation op;
  for (const auto& expected : ops) {
    ASSERT_TRUE(reader.Next(op));
    ExpectSame(op, expected);  // intended_ns included
  }
  EXPECT_FALSE(reader.Next(op));
  EXPECT_FALSE(reader.truncated());
  std::filesystem::remove(path);
}

TEST(OpSpillTest, EveryFieldComesBackAsWritten) {
  ExpectRoundTrip("roundtrip", SampleOps());
}

// Names (f, stream) are numbered up to a limit and written out in full past it; fields that
// repeat another (got == expected, connection == client) are left out and come back.
TEST(OpSpillTest, ManyDistinctNamesAndRepeatedFieldsComeBackAsWritten) {
  std::vector<Operation> ops;
  for (int i = 0; i < 5000; ++i) {
    const std::string name = "GET /" + std::to_string(i % 4500);
    ops.push_back({OpType::kOk, 1000L * i + 500, i, i % 3 == 0 ? i : -1, i, name,
                   "v" + std::to_string(i), i % 2 == 0 ? "v" + std::to_string(i) : "other", "",
                   i % 7 == 0 ? "s" : "", i % 5 == 0 ? 1000L * i + 100 : -1});
  }
  ExpectRoundTrip("names", ops);
}

TEST(OpSpillTest, ATruncatedLastRecordEndsTheFileAndIsReported) {
  const auto path = TempPath("truncated");
  OpSpillWriter writer;
  ASSERT_TRUE(writer.Open(path).ok());
  for (const auto& op : SampleOps()) writer.Write(op);
  ASSERT_TRUE(writer.Close().ok());
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 3);
  OpSpillReader reader;
  ASSERT_TRUE(reader.Open(path).ok());
  Operation op;
  int read = 0;
  while (reader.Next(op)) ++read;
  EXPECT_EQ(read, 3);
  EXPECT_TRUE(reader.truncated());
  std::filesystem::remove(path);
}

TEST(OpSpillTest, AMissingFileIsAnError) {
  OpSpillReader reader;
  EXPECT_FALSE(reader.Open(TempPath("missing")).ok());
  OpSpillWriter writer;
  EXPECT_FALSE(writer.Open("/nonexistent-dir/spill").ok());
}

Operation At(std::int64_t time_ns, int client) {
  Operation op;
  op.time_ns = time_ns;
  op.client = client;
  return op;
}

TEST(OpMergeTest, InterleavesSourcesByTimeAndKeepsSourceOrderOnTies) {
  const std::vector<Operation> a = {At(1, 0), At(5, 0), At(5, 1), At(9, 0)};
  const std::vector<Operation> b = {At(2, 10), At(5, 10), At(10, 10)};
  const std::vector<Operation> empty;
  VectorOpSource sa(a), sb(b), se(empty);
  std::vector<std::pair<std::int64_t, int>> seen;
  MergeByTime({&sa, &se, &sb},
              [&](const Operation& op) { seen.emplace_back(op.time_ns, op.client); });
  const std::vector<std::pair<std::int64_t, int>> expected = {{1, 0},  {2, 10}, {5, 0},  {5, 1},
                                                              {5, 10}, {9, 0},  {10, 10}};
  EXPECT_EQ(seen, expected);
}

TEST(OpMergeTest, ReadsSpillFilesBackInTimeOrder) {
  const auto path = TempPath("merge");
  OpSpillWriter writer;
  ASSERT_TRUE(writer.Open(path).ok());
  for (std::int64_t t = 0; t < 10000; t += 2) writer.Write(At(t, 1));
  ASSERT_TRUE(writer.Close().ok());
  std::vector<Operation> odd;
  for (std::int64_t t = 1; t < 10000; t += 2) odd.push_back(At(t, 2));
  OpSpillReader reader;
  ASSERT_TRUE(reader.Open(path).ok());
  SpillOpSource spilled(reader);
  VectorOpSource in_memory(odd);
  std::int64_t expected_time = 0;
  MergeByTime({&spilled, &in_memory}, [&](const Operation& op) {
    EXPECT_EQ(op.time_ns, expected_time);
    EXPECT_EQ(op.client, expected_time % 2 == 0 ? 1 : 2);
    ++expected_time;
  });
  EXPECT_EQ(expected_time, 10000);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace stampede
