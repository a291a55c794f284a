// A real server process on a fresh loopback port for workload tests (test code only).
#pragma once

#include <gtest/gtest.h>
#include <poll.h>

#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "supervisor/child_process.h"
#include "supervisor/loopback.h"
#include "test_paths.h"

namespace stampede::workload_test {

// Starts `argv` with every "PORT" replaced by `port` (0: a free loopback port) and waits (up
// to 10 s) until the port accepts connections. The destructor stops the process.
class TestServer {
 public:
  explicit TestServer(std::vector<std::string> argv, int port = 0) {
    port_ = port != 0 ? port : AllocateLoopbackPorts(1).value().at(0);
    for (auto& arg : argv) {
      if (arg == "PORT") arg = std::to_string(port_);
    }
    auto child = ChildProcess::Start({argv, {}, {}, {}});
    EXPECT_TRUE(child.ok());
    if (!child.ok()) return;
    child_ = std::move(child.value());
    auto deadline = MonoClock::now() + std::chrono::seconds(10);
    while (!TcpConnects(port_, std::chrono::milliseconds(100)) && MonoClock::now() < deadline) {
      pollfd pfd{child_->pidfd(), POLLIN, 0};
      poll(&pfd, 1, 20);
    }
  }
  int port() const { return port_; }
  ChildProcess& child() { return *child_; }
  std::string Address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  int port_ = 0;
  std::unique_ptr<ChildProcess> child_;
};

inline std::string TargetPath(const std::string& name) {
  return std::string(STAMPEDE_BINARY_DIR) + "/targets/" + name;
}

}  // namespace stampede::workload_test
