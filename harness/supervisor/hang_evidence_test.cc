#include "supervisor/hang_evidence.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

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
}

TEST(ParseProcNetTcpLineTest, RejectsTheHeader) {
  EXPECT_TRUE(ParseProcNetTcpLine("  sl  local_address rem_address   st tx_queue rx_queue tr "
                                  "tm->when retrnsmt   uid  timeout inode")
                  .is_null());
}

TEST(CaptureSocketsTest, SeesOurOwnListeningSocket) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t length = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  auto sockets = CaptureSockets(getpid());
  close(fd);
  bool found = false;
  for (const auto& s : sockets) {
    found |= s["local"] == "127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) &&
             s["state"] == "LISTEN" && s["fd"] == fd;
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
