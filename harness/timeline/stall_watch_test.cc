#include "timeline/stall_watch.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

TEST(StallWatchTest, OutstandingRequestsWithoutACompletionForStallMsAreAStall) {
  StallWatch watch(2000);
  EXPECT_FALSE(watch.Observe(0, 0, 200));
  EXPECT_FALSE(watch.Observe(1999, 0, 200));
  auto stall = watch.Observe(2000, 0, 200);
  ASSERT_TRUE(stall);
  EXPECT_EQ(stall->since_ms, 0);
  EXPECT_EQ(stall->stalled_ms, 2000);
  EXPECT_EQ(stall->outstanding, 200) << "what is in flight now, not what was at the start";
}

TEST(StallWatchTest, EveryCompletionStartsTheWaitAgain) {
  StallWatch watch(1000);
  for (std::int64_t ms = 0; ms <= 10000; ms += 500) {
    EXPECT_FALSE(watch.Observe(ms, ms / 500, 4)) << ms;
  }
  EXPECT_FALSE(watch.Observe(10999, 20, 4));
  EXPECT_TRUE(watch.Observe(11000, 20, 4));
}

TEST(StallWatchTest, NothingOutstandingIsNoStall) {
  StallWatch watch(1000);
  EXPECT_FALSE(watch.Observe(0, 5, 0));
  EXPECT_FALSE(watch.Observe(5000, 5, 0)) << "an idle, paced load";
  EXPECT_FALSE(watch.Observe(5001, 5, 1));
  EXPECT_FALSE(watch.Observe(5999, 5, 1));
  EXPECT_TRUE(watch.Observe(6000, 5, 1)) << "counted from the last look without one out";
}

TEST(StallWatchTest, TheSummaryCountsWhatIsOutstanding) {
  EXPECT_EQ(StallSummary({0, 2006, 50}, 2000),
            "answered nothing for 2006 ms while 50 requests were outstanding (stall_ms 2000)");
  EXPECT_EQ(StallSummary({0, 2000, 1}, 2000),
            "answered nothing for 2000 ms while 1 request was outstanding (stall_ms 2000)");
  EXPECT_EQ(StallFigures({10, 2000, 3}, 2000)["outstanding"], 3);
}

TEST(StallWatchTest, ZeroDisablesIt) {
  StallWatch watch(0);
  EXPECT_FALSE(watch.Observe(0, 0, 10));
  EXPECT_FALSE(watch.Observe(100000, 0, 10));
}

}  // namespace
}  // namespace stampede
