#include "reports/report_links.h"

#include <gtest/gtest.h>

#include <fstream>

namespace stampede::reports {
namespace {

namespace fs = std::filesystem;

class ReportLinksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("stampede-links-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "suite/cells/001/attempt-001/cycles");
    fs::create_directories(dir_ / "out");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Touch(const std::string& name) {
    std::ofstream(dir_ / "suite/cells/001/attempt-001" / name) << "x";
  }
  fs::path dir_;
};

TEST_F(ReportLinksTest, HrefIsRelativeToTheDocumentsFolder) {
  const fs::path run = dir_ / "suite/cells/001/attempt-001";
  EXPECT_EQ(RelativeHref(run / "verdict.json", dir_ / "out/report.html"),
            "../suite/cells/001/attempt-001/verdict.json");
  EXPECT_EQ(RelativeHref(run, dir_ / "out/report.html"), "../suite/cells/001/attempt-001/")
      << "folders end in /";
  EXPECT_EQ(RelativeHref(dir_ / "suite/a b#c.txt", dir_ / "suite/report.html"), "a%20b%23c.txt");
}

TEST_F(ReportLinksTest, EvidenceListsVerdictAndHistoryFirstThenFilesByName) {
  for (const char* name :
       {"server.stdout", "backtraces-server.txt", "history.jsonl", "verdict.json", "server.stderr"})
    Touch(name);
  std::vector<std::string> names;
  for (const fs::path& file : EvidenceFiles(dir_ / "suite/cells/001/attempt-001"))
    names.push_back(file.filename().string());
  EXPECT_EQ(names,
            (std::vector<std::string>{"verdict.json", "history.jsonl", "backtraces-server.txt",
                                      "server.stderr", "server.stdout"}))
      << "sub-folders are not listed";
  EXPECT_EQ(EvidenceFiles(dir_ / "suite/cells/001/attempt-001", 2).size(), 2u);
  EXPECT_TRUE(EvidenceFiles(dir_ / "missing").empty());
}

}  // namespace
}  // namespace stampede::reports
