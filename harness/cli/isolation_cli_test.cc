// Network isolation: a run in a network namespace of its own uses a fixed port that is taken
// on the host, and without isolation the same run cannot.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "cli/cli_test_support.h"
#include "test_paths.h"

namespace stampede::cli_test {
namespace {

constexpr int kFixedPort = 4917;

// Listens on 127.0.0.1:kFixedPort for as long as it lives; fd < 0 when the port was taken.
struct HostListener {
  HostListener() {
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(kFixedPort);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(fd, 4) != 0) {
      close(fd);
      fd = -1;
    }
  }
  ~HostListener() {
    if (fd >= 0) close(fd);
  }
  int fd = -1;
};

class IsolationTest : public CliTest {
 protected:
  // A scenario whose server listens on kFixedPort, whatever port stampede allocated.
  std::string WriteScenario(const std::string& isolation) {
    const std::string port = std::to_string(kFixedPort);
    nlohmann::json scenario = {
        {"name", "fixed-port"},
        {"targets",
         {{{"name", "server"},
           {"command", {std::string(STAMPEDE_BINARY_DIR) + "/targets/http-server", "--port", port}},
           {"ready", {{"probe", "log"}, {"pattern", "listening"}, {"stream", "stdout"}}}}}},
        {"workload",
         {{"type", "parallel-requests"},
          {"url", "http://127.0.0.1:" + port + "/echo?seq={seq}"},
          {"requests", 20}}},
        {"timeout_ms", 20000}};
    if (!isolation.empty()) scenario["isolation"] = isolation;
    auto file = dir_ / ("fixed-" + isolation + ".json");
    std::ofstream(file) << scenario.dump(2);
    return file.string();
  }
};

// One test for the three runs: they share the fixed port, so they must not run in parallel.
TEST_F(IsolationTest, OnlyAnIsolatedRunCanUseAFixedPortTakenOnTheHost) {
  HostListener taken;
  ASSERT_GE(taken.fd, 0) << "port " << kFixedPort << " is in use on this machine";
  auto verdict = RunChecked(WriteScenario("network"), "", 0);
  EXPECT_EQ(verdict["containment"]["network"], "isolated");
  EXPECT_EQ(verdict["stats"]["ok"], 20);
  EXPECT_NE(verdict["reproduce"].get<std::string>().find("--isolate-network"), std::string::npos);

  auto out = dir_ / "host";
  auto result = Stampede("run " + WriteScenario("") + " --out " + out.string());
  EXPECT_NE(result.exit_code, 0) << "without isolation the port is taken: " << result.out;
  EXPECT_EQ(ReadVerdict(out)["containment"]["network"], "host");
  ExpectNoProcessLeft(out);

  std::filesystem::remove_all(dir_ / "run");
  verdict = RunChecked(WriteScenario(""), "--isolate-network", 0);
  EXPECT_EQ(verdict["containment"]["network"], "isolated") << "the flag isolates it too";
}

TEST_F(IsolationTest, AnUnknownIsolationIsAnInvalidScenario) {
  auto result = Stampede("validate " + WriteScenario("everything"), (dir_ / "err").string());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(ReadText(dir_ / "err").find("must be \"none\" or \"network\""), std::string::npos);
}

}  // namespace
}  // namespace stampede::cli_test
