#include "supervisor/capped_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>

namespace stampede {
namespace {

class CappedLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("stampede-capped-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override { std::filesystem::remove(path_); }

  std::string FileText() const {
    std::ifstream in(path_, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  static void WriteAll(int fd, const std::string& text) {
    std::size_t at = 0;
    while (at < text.size()) {
      ssize_t wrote = write(fd, text.data() + at, text.size() - at);
      ASSERT_GT(wrote, 0);
      at += static_cast<std::size_t>(wrote);
    }
  }

  std::filesystem::path path_;
};

TEST_F(CappedLogTest, ALogUnderTheCapIsKeptWholeOnceSettled) {
  auto log = CappedLog::Open(path_, 8 << 20);
  ASSERT_TRUE(log.ok());
  WriteAll(log.value()->write_fd(), "hello\nworld\n");
  log.value()->Settle();
  EXPECT_EQ(FileText(), "hello\nworld\n") << "settled: everything written so far is in the file";
  EXPECT_EQ(log.value()->cut(), 0);
}

TEST_F(CappedLogTest, AFloodKeepsTheHeadAndTheLastMebibyteWithAMarker) {
  const std::int64_t cap = 4 << 20;
  auto log = CappedLog::Open(path_, cap);
  ASSERT_TRUE(log.ok());
  const int fd = log.value()->write_fd();
  WriteAll(fd, "FIRST LINE\n");
  std::string line(99, 'x');
  line += '\n';
  for (int i = 0; i < 100000; ++i) WriteAll(fd, line);  // 10 MB
  WriteAll(fd, "AddressSanitizer: the last words\n");
  log.value()->CloseWriteEnd();
  log.value()->Settle();
  const std::string text = FileText();
  EXPECT_LE(static_cast<std::int64_t>(text.size()), cap);
  EXPECT_GT(static_cast<std::int64_t>(text.size()), cap - 1024);
  EXPECT_EQ(text.rfind("FIRST LINE\n", 0), 0u);
  EXPECT_NE(text.find("bytes cut here, the last 1048576 follow]"), std::string::npos);
  const std::string last = "AddressSanitizer: the last words\n";
  EXPECT_EQ(text.substr(text.size() - last.size()), last);
  EXPECT_EQ(log.value()->received(), 11 + 100000 * 100 + static_cast<std::int64_t>(last.size()));
  EXPECT_EQ(log.value()->cut(),
            log.value()->received() - (cap - CappedLog::kTailBytes - 256) - CappedLog::kTailBytes);
}

TEST_F(CappedLogTest, TheTailFollowsTheWriterWhileItRuns) {
  auto log = CappedLog::Open(path_, 3 << 20);
  ASSERT_TRUE(log.ok());
  const int fd = log.value()->write_fd();
  WriteAll(fd, std::string(5 << 20, 'a'));
  WriteAll(fd, "now\n");
  log.value()->Settle();
  std::string text = FileText();
  EXPECT_EQ(text.substr(text.size() - 4), "now\n");
  WriteAll(fd, "and later\n");
  log.value()->Settle();
  text = FileText();
  EXPECT_EQ(text.substr(text.size() - 14), "now\nand later\n");
}

}  // namespace
}  // namespace stampede
