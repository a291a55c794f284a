#include "history/history.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "core/clock.h"

namespace stampede {
namespace {

std::filesystem::path TempFile(const char* name) {
  return std::filesystem::temp_directory_path() /
         (std::string("stampede-") + std::to_string(getpid()) + "-" + name);
}

Operation At(OpType type, std::int64_t time_ns) {
  Operation op;
  op.type = type;
  op.time_ns = time_ns;
  return op;
}

TEST(HistoryTest, FastJsonLineIsByteForByteWhatNlohmannWrites) {
  std::vector<Operation> ops = {
      {OpType::kInvoke, 1, 0, -1, 7, "PING", "abc:0:7", "", ""},
      {OpType::kOk, 123456789, 3, 3, 9, "GET", "v-3-9", "v-4-9", ""},
      {OpType::kFail, 5, 1, 2, -1, "(none)", "", "", "protocol error: unexpected byte 0x16"},
      {OpType::kInfo, 6, 1, 2, 3, "SET", "quote \" and \\", "tab\there", "ctl \x01 é"},
      {OpType::kOk, 7, 1, -1, 4, "GET", "\xff\xfe not utf-8", "\x80", ""},
      {OpType::kInvoke, 9, 2, 0, 5, "GET /", "", "", "", "paced", 8},
  };
  for (const auto& op : ops) {
    std::string line;
    AppendJsonLine(op, line);
    EXPECT_EQ(
        line,
        nlohmann::json(op).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  }
}

TEST(HistoryTest, MergeKeepsOpsSortedByTime) {
  History history;
  history.MergeOps({At(OpType::kInvoke, 10), At(OpType::kOk, 30)});
  history.MergeOps({At(OpType::kInvoke, 5), At(OpType::kOk, 20)});
  std::vector<std::int64_t> times;
  for (const auto& op : history.ops) times.push_back(op.time_ns);
  EXPECT_EQ(times, (std::vector<std::int64_t>{5, 10, 20, 30}));
}

TEST(HistoryTest, WrittenHistoryLoadsBackFromManyThreads) {
  auto path = TempFile("history.jsonl");
  {
    HistoryWriter writer;
    ASSERT_TRUE(writer.Open(path).ok());
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&writer, t] {
        OpRecorder recorder(writer, MonotonicNanos());
        for (int i = 0; i < 1000; ++i) {
          recorder.Record({OpType::kInvoke, 0, t, -1, i, "GET", "", "", ""});
          recorder.Record({OpType::kOk, 0, t, 7, i, "GET", std::to_string(i), "x\xff", ""});
        }
      });
    }
    ProcessEvent exited;
    exited.action = ProcessAction::kExited;
    exited.target = "server";
    exited.exit = ExitInfo{std::nullopt, 11, false};
    writer.Write(exited);
    for (auto& thread : threads) thread.join();
  }
  auto loaded = LoadHistory(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded.value().ops.size(), 8000u);
  ASSERT_EQ(loaded.value().processes.size(), 1u);
  EXPECT_EQ(loaded.value().processes[0].exit->signal, 11);
  EXPECT_EQ(loaded.value().ops.back().connection, 7);
  std::filesystem::remove(path);
}

TEST(HistoryTest, LoadNamesTheBadLine) {
  auto path = TempFile("bad.jsonl");
  {
    std::ofstream out(path);
    out << R"({"type":"invoke","time_ns":1,"client":0,"seq":0,"f":"GET"})"
        << "\n{oops\n";
  }
  auto loaded = LoadHistory(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find(":2:"), std::string::npos) << loaded.error().message;
  std::filesystem::remove(path);
}

TEST(HistoryTest, RecorderTakeEmptiesIt) {
  HistoryWriter writer;  // not opened: discards
  OpRecorder recorder(writer, 0);
  recorder.Record(At(OpType::kInvoke, 0));
  EXPECT_EQ(recorder.Take().size(), 1u);
  EXPECT_TRUE(recorder.Take().empty());
}

}  // namespace
}  // namespace stampede
