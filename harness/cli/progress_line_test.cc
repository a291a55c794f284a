#include "cli/progress_line.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

TEST(ProgressTextTest, ASingleRunShowsItsCounters) {
  EXPECT_EQ(ProgressText(1, 1, {1234, 12, 0, 2345}), "ops 1234  in flight 12  errors 0  2.3 s");
}

TEST(ProgressTextTest, ASeriesShowsTheAttempt) {
  EXPECT_EQ(ProgressText(3, 20, {5, 1, 2, 100}),
            "attempt 3/20  ops 5  in flight 1  errors 2  0.1 s");
}

}  // namespace
}  // namespace stampede
