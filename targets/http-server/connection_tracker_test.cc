// Unit tests of http-server's connection tracker that drains connections on a graceful stop.
// The I/O backends are exercised against a running server instead (http_server_e2e_test.cc).
#include "connection_tracker.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <thread>
#include <vector>

namespace {

// ConnectionTracker. No test here needs the race of --bug shutdown-race to happen (or not): every
// close either runs before the waiter registers, on the waiting thread itself, or after the
// waiter is known to be waiting (HasWaiter()).

using TrackerMode = ConnectionTracker::Mode;

TEST(ConnectionTracker, WaitReturnsAtOnceWithoutConnections) {
  for (TrackerMode mode : {TrackerMode::kCorrect, TrackerMode::kShutdownRace}) {
    ConnectionTracker tracker(mode, nullptr);
    int asked = 0;
    tracker.WaitForAllConnectionsToClose([&asked] { ++asked; });
    EXPECT_EQ(asked, 1);
  }
}

TEST(ConnectionTracker, LogsTheWaitWithTheNumberOfOpenConnections) {
  std::FILE* log = std::tmpfile();
  ASSERT_NE(log, nullptr);
  ConnectionTracker tracker(TrackerMode::kCorrect, log);
  tracker.Opened();
  tracker.Opened();
  tracker.WaitForAllConnectionsToClose([&tracker] {
    tracker.Closed();
    tracker.Closed();
  });
  std::rewind(log);
  char line[128] = {};
  ASSERT_NE(std::fgets(line, sizeof line, log), nullptr);
  EXPECT_STREQ(line, "http-server: wait for all connections to close (2 open)\n");
  ASSERT_NE(std::fgets(line, sizeof line, log), nullptr);
  EXPECT_STREQ(line, "http-server: all connections closed\n");
  std::fclose(log);
}

// The window where --bug shutdown-race loses the wake-up, made deterministic: every connection
// closes after the count was read and before the wait. The correct mode must still return.
TEST(ConnectionTracker, CorrectModeSeesConnectionsThatCloseBeforeItWaits) {
  ConnectionTracker tracker(TrackerMode::kCorrect, nullptr);
  tracker.Opened();
  tracker.WaitForAllConnectionsToClose([&tracker] { tracker.Closed(); });
  EXPECT_EQ(tracker.live(), 0);
}

// Closes each connection from its own thread once the waiter is known to be waiting.
void CloseAllOnceWaiting(ConnectionTracker& tracker, int connections) {
  while (!tracker.HasWaiter()) std::this_thread::yield();
  std::vector<std::thread> closers;
  for (int i = 0; i < connections; ++i) closers.emplace_back([&tracker] { tracker.Closed(); });
  for (auto& closer : closers) closer.join();
}

TEST(ConnectionTracker, CorrectModeWakesTheWaiterWhenTheLastConnectionCloses) {
  ConnectionTracker tracker(TrackerMode::kCorrect, nullptr);
  for (int i = 0; i < 3; ++i) tracker.Opened();
  std::thread closer([&tracker] { CloseAllOnceWaiting(tracker, 3); });
  tracker.WaitForAllConnectionsToClose([] {});
  closer.join();
  EXPECT_EQ(tracker.live(), 0);
  EXPECT_FALSE(tracker.HasWaiter());
}

// The bug is only a race: a waiter that is already waiting does get the notification.
TEST(ConnectionTracker, ShutdownRaceModeStillWakesAWaiterThatIsAlreadyWaiting) {
  ConnectionTracker tracker(TrackerMode::kShutdownRace, nullptr);
  for (int i = 0; i < 3; ++i) tracker.Opened();
  std::thread closer([&tracker] { CloseAllOnceWaiting(tracker, 3); });
  tracker.WaitForAllConnectionsToClose([] {});
  closer.join();
  EXPECT_EQ(tracker.live(), 0);
}

// Closes racing with the drain in every possible order: the correct mode always returns (run
// under -fsanitize=thread to check the locking too).
TEST(ConnectionTracker, CorrectModeReturnsWhateverTheOrderOfCloses) {
  for (int round = 0; round < 100; ++round) {
    ConnectionTracker tracker(TrackerMode::kCorrect, nullptr);
    constexpr int kConnections = 4;
    for (int i = 0; i < kConnections; ++i) tracker.Opened();
    std::vector<std::thread> closers;
    tracker.WaitForAllConnectionsToClose([&tracker, &closers] {
      for (int i = 0; i < kConnections; ++i) {
        closers.emplace_back([&tracker] { tracker.Closed(); });
      }
    });
    for (auto& closer : closers) closer.join();
    ASSERT_EQ(tracker.live(), 0) << round;
  }
}

}  // namespace
