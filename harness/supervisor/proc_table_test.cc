#include "supervisor/proc_table.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>

namespace stampede {
namespace {

TEST(ProcTableTest, ReadsItsOwnProcess) {
  const int self = static_cast<int>(getpid());
  auto pids = ListPids();
  EXPECT_NE(std::find(pids.begin(), pids.end(), self), pids.end());
  auto stat = ReadProcStat(self);
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->ppid, static_cast<int>(getppid()));
  EXPECT_EQ(stat->pgrp, static_cast<int>(getpgrp()));
  EXPECT_FALSE(HasEnded(*stat));
  EXPECT_FALSE(ReadProcFile(self, "cmdline").empty());
}

TEST(ProcTableTest, AProcessThatIsGoneHasNoStat) {
  EXPECT_FALSE(ReadProcStat(0x3fffffff));
  EXPECT_EQ(ReadProcFile(0x3fffffff, "cmdline"), "");
}

}  // namespace
}  // namespace stampede
