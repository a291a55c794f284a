#include "scenario/text_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace stampede {
namespace {

class TextFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("stampede-text-file-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(TextFileTest, ReadsAWholeFile) {
  std::ofstream(dir_ / "a.txt") << "line 1\nline 2\n";
  auto text = ReadTextFile(dir_ / "a.txt", 100, "a file");
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(text.value(), "line 1\nline 2\n");
}

TEST_F(TextFileTest, AMissingFileNamesPathAndReason) {
  auto text = ReadTextFile(dir_ / "none.txt", 100, "a file");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(text.error().message,
            "cannot read \"" + (dir_ / "none.txt").string() + "\": No such file or directory");
}

TEST_F(TextFileTest, ADirectoryIsNamed) {
  auto text = ReadTextFile(dir_, 100, "a file template");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().message, dir_.string() + " is a directory, not a file template");
}

TEST_F(TextFileTest, ALongerFileIsRefused) {
  std::ofstream(dir_ / "a.txt") << std::string(101, 'x');
  auto text = ReadTextFile(dir_ / "a.txt", 100, "a file");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().message,
            (dir_ / "a.txt").string() + ": 101 bytes, larger than the 100 bytes a file may have");
  EXPECT_TRUE(ReadTextFile(dir_ / "a.txt", 101, "a file").ok());
}

TEST_F(TextFileTest, AFifoWithoutAWriterReadsAsEmpty) {
  auto fifo = dir_ / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  auto text = ReadTextFile(fifo, 100, "a file");
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(text.value(), "");
}

TEST(ByteSizeTest, PicksAReadableUnit) {
  EXPECT_EQ(ByteSize(0), "0 bytes");
  EXPECT_EQ(ByteSize(1023), "1023 bytes");
  EXPECT_EQ(ByteSize(64 * 1024), "64 KiB");
  EXPECT_EQ(ByteSize(1536), "1.5 KiB");
  EXPECT_EQ(ByteSize(1024 * 1024), "1 MiB");
  EXPECT_EQ(ByteSize(100 * 1024 * 1024), "100 MiB");
}

}  // namespace
}  // namespace stampede
