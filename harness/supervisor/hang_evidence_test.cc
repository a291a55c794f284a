#include "supervisor/hang_evidence.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "supervisor/test_listener.h"

namespace stampede {
namespace {

TEST(ParseProcNetTcpLineTest, DecodesAnIpv4ListeningSocket) {
  auto parsed = ParseProcNetTcpLine(
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        "
      "0 12345 1 0000000000000000 100 0 0 10 0");
  ASSERT_FALSE(parsed.is_null());
  EXPECT_EQ(parsed["local"], "127.0.0.1:8080");
  EXPECT_EQ(parsed["remote"], "0.0.0.0:0");
  EXPECT_EQ(parsed["state"], "LISTEN");
  EXPECT_EQ(parsed["inode"], "12345");
  EXPECT_EQ(parsed["accept_queue"], 0);
}

TEST(ParseProcNetTcpLineTest, ReadsTheQueues) {
  auto listening = ParseProcNetTcpLine(
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000007 00:00000000 00000000     0        "
      "0 12345 1 0000000000000000 100 0 0 10 0");
  EXPECT_EQ(listening["accept_queue"], 7);
  auto established = ParseProcNetTcpLine(
      "   1: 0100007F:1F90 0100007F:C350 01 00000010:00000200 00:00000000 00000000     0        "
      "0 12346 1 0000000000000000 20 4 30 10 -1");
  EXPECT_EQ(established["state"], "ESTABLISHED");
  EXPECT_EQ(established["unread_bytes"], 512);
  EXPECT_EQ(established["unsent_bytes"], 16);
  EXPECT_FALSE(established.contains("accept_queue"));
}

TEST(ParseProcNetTcpLineTest, RejectsTheHeader) {
  EXPECT_TRUE(ParseProcNetTcpLine("  sl  local_address rem_address   st tx_queue rx_queue tr "
                                  "tm->when retrnsmt   uid  timeout inode")
                  .is_null());
}

TEST(CaptureSocketsTest, SeesOurOwnListeningSocket) {
  supervisor_test::TestListener listener;
  auto sockets = CaptureSockets(getpid());
  bool found = false;
  for (const auto& s : sockets) {
    found |= s["local"] == "127.0.0.1:" + std::to_string(listener.port) && s["state"] == "LISTEN" &&
             s["fd"] == listener.fd;
  }
  EXPECT_TRUE(found) << sockets.dump();
}

TEST(CaptureBacktracesTest, WithoutGdbSaysWhy) {
  std::string saved = getenv("PATH") ? getenv("PATH") : "";
  setenv("PATH", "/nonexistent", 1);
  auto evidence =
      CaptureBacktraces(getpid(), "/tmp/stampede-bt-unused.txt", std::chrono::milliseconds(1000));
  setenv("PATH", saved.c_str(), 1);
  ASSERT_TRUE(evidence.contains("unavailable")) << evidence.dump();
  EXPECT_NE(evidence["unavailable"].get<std::string>().find("gdb"), std::string::npos);
}

TEST(CaptureBacktracesTest, OfAProcessThatIsGoneSaysWhy) {
  pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  auto evidence =
      CaptureBacktraces(child, "/tmp/stampede-bt-gone.txt", std::chrono::milliseconds(20000));
  EXPECT_TRUE(evidence.contains("unavailable")) << evidence.dump();
}

}  // namespace
}  // namespace stampede

namespace stampede {
namespace {

TEST(ProcessGroupMembersTest, FindsTheLeaderAndItsChildrenButNotOthers) {
  pid_t leader = fork();
  if (leader == 0) {
    setpgid(0, 0);
    if (fork() == 0) pause();
    pause();
    _exit(0);
  }
  setpgid(leader, leader);
  std::vector<int> members;
  for (int i = 0; i < 200 && members.size() < 2; ++i) {
    usleep(5000);
    members = ProcessGroupMembers(leader);
  }
  kill(-leader, SIGKILL);
  waitpid(leader, nullptr, 0);
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[0], leader);
  EXPECT_NE(members[1], getpid());
}

TEST(CaptureGroupSocketsTest, TagsEachSocketWithItsProcess) {
  supervisor_test::TestListener listener;
  auto sockets = CaptureGroupSockets({getpid()});
  ASSERT_TRUE(sockets.is_array()) << sockets.dump();
  ASSERT_FALSE(sockets.empty());
  EXPECT_EQ(sockets[0]["pid"], getpid());
}

TEST(CaptureGroupSocketsTest, AGoneProcessSaysWhy) {
  pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  auto sockets = CaptureGroupSockets({child});
  EXPECT_TRUE(sockets.contains("unavailable")) << sockets.dump();
}

}  // namespace
}  // namespace stampede
