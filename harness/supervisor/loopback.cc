#include "supervisor/loopback.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <random>

#include "core/clock.h"

namespace stampede {
namespace {

// Owns a file descriptor.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

sockaddr_in LoopbackAddress(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

int RemainingMs(MonoClock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - MonoClock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

bool WaitFor(int fd, short events, MonoClock::time_point deadline) {
  pollfd pfd{fd, events, 0};
  for (;;) {
    int n = poll(&pfd, 1, RemainingMs(deadline));
    if (n > 0) return true;
    if (n == 0 || errno != EINTR) return false;
  }
}

// A connected non-blocking socket to 127.0.0.1:port, or -1 with why in `why`.
int Connect(int port, MonoClock::time_point deadline, std::string& why) {
  const auto started = MonoClock::now();
  const std::string what = "connect to 127.0.0.1:" + std::to_string(port) + ": ";
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    why = what + std::strerror(errno);
    return -1;
  }
  auto addr = LoopbackAddress(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
  int error = errno;
  socklen_t length = sizeof error;
  if (error == EINPROGRESS) {
    if (!WaitFor(fd, POLLOUT, deadline)) {
      const auto waited =
          std::chrono::duration_cast<std::chrono::milliseconds>(MonoClock::now() - started);
      why = what + "timed out after " + std::to_string(waited.count()) + " ms";
      close(fd);
      return -1;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
    if (error == 0) return fd;
  }
  why = what + std::strerror(error);
  close(fd);
  return -1;
}

bool SendAll(int fd, const std::string& data, MonoClock::time_point deadline) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    auto n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!WaitFor(fd, POLLOUT, deadline)) return false;
    } else {
      return false;
    }
  }
  return true;
}

// Reads until the first line is complete (or the peer closes / the deadline passes).
std::string ReadStatusLine(int fd, MonoClock::time_point deadline) {
  std::string data;
  char buffer[512];
  while (data.find("\r\n") == std::string::npos && data.size() < 4096) {
    auto n = recv(fd, buffer, sizeof buffer, 0);
    if (n > 0) {
      data.append(buffer, static_cast<std::size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!WaitFor(fd, POLLIN, deadline)) break;
    } else {
      break;
    }
  }
  return data.substr(0, data.find("\r\n"));
}

std::optional<int> ParseStatus(const std::string& line) {
  // "HTTP/1.1 200 OK"
  if (line.rfind("HTTP/", 0) != 0) return std::nullopt;
  auto space = line.find(' ');
  if (space == std::string::npos || space + 4 > line.size()) return std::nullopt;
  int status = 0;
  for (std::size_t i = space + 1; i < space + 4; ++i) {
    if (line[i] < '0' || line[i] > '9') return std::nullopt;
    status = status * 10 + (line[i] - '0');
  }
  return status;
}

}  // namespace

PortRange EphemeralPortRange() {
  PortRange range{32768, 60999};
  std::ifstream file("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 0;
  int high = 0;
  if (file >> low >> high && low > 0 && high >= low && high <= 65535) range = {low, high};
  return range;
}

std::optional<PortRange> PortsOutside(PortRange ephemeral) {
  constexpr int kLowest = 10000;
  constexpr int kMinimumSize = 1000;
  if (ephemeral.low - kLowest >= kMinimumSize) return PortRange{kLowest, ephemeral.low - 1};
  if (65535 - ephemeral.high >= kMinimumSize) return PortRange{ephemeral.high + 1, 65535};
  return std::nullopt;
}

namespace {

// A socket bound to 127.0.0.1:port without SO_REUSEADDR (so a port in TIME_WAIT is not
// taken), or nullptr.
std::unique_ptr<Fd> BindExactly(int port) {
  auto fd = std::make_unique<Fd>(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  auto addr = LoopbackAddress(port);
  if (fd->get() < 0 || bind(fd->get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    return nullptr;
  }
  return fd;
}

// A port the kernel picks (bind to port 0), held by *fd.
int BindAnyPort(std::unique_ptr<Fd>* fd) {
  *fd = BindExactly(0);
  if (*fd == nullptr) return -1;
  auto addr = LoopbackAddress(0);
  socklen_t length = sizeof addr;
  if (getsockname((*fd)->get(), reinterpret_cast<sockaddr*>(&addr), &length) != 0) return -1;
  return ntohs(addr.sin_port);
}

}  // namespace

Result<std::vector<int>> AllocateLoopbackPorts(int count) {
  std::vector<std::unique_ptr<Fd>> held;
  std::vector<int> ports;
  auto range = PortsOutside(EphemeralPortRange());
  std::mt19937 random(std::random_device{}());
  const int tries_per_port = 200;
  for (int i = 0; i < count; ++i) {
    std::unique_ptr<Fd> fd;
    int port = -1;
    for (int attempt = 0; range && attempt < tries_per_port && fd == nullptr; ++attempt) {
      port = std::uniform_int_distribution<int>(range->low, range->high)(random);
      fd = BindExactly(port);
    }
    if (fd == nullptr) port = BindAnyPort(&fd);
    if (port < 0) {
      return EnvironmentError(std::string("cannot allocate a loopback port: ") +
                              std::strerror(errno));
    }
    ports.push_back(port);
    held.push_back(std::move(fd));
  }
  return ports;
}

bool LoopbackPortIsFree(int port) {
  Fd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  int one = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  auto addr = LoopbackAddress(port);
  return fd.get() >= 0 && bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
}

Status TryTcpConnect(int port, std::chrono::milliseconds timeout) {
  std::string why;
  int fd = Connect(port, MonoClock::now() + timeout, why);
  if (fd < 0) return EnvironmentError(why);
  close(fd);
  return {};
}

bool TcpConnects(int port, std::chrono::milliseconds timeout) {
  return TryTcpConnect(port, timeout).ok();
}

Result<int> HttpGetStatus(int port, const std::string& path, std::chrono::milliseconds timeout) {
  auto deadline = MonoClock::now() + timeout;
  std::string why;
  Fd fd(Connect(port, deadline, why));
  if (fd.get() < 0) return EnvironmentError(why);
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nUser-Agent: stampede\r\nConnection: close\r\n\r\n";
  if (!SendAll(fd.get(), request, deadline)) {
    return EnvironmentError("GET " + path + ": cannot send the request");
  }
  const std::string line = ReadStatusLine(fd.get(), deadline);
  auto status = ParseStatus(line);
  if (status) return *status;
  if (line.empty()) {
    return EnvironmentError("GET " + path + ": no status line within " +
                            std::to_string(timeout.count()) + " ms");
  }
  return EnvironmentError("GET " + path + ": not an HTTP status line: \"" + line.substr(0, 80) +
                          "\"");
}

}  // namespace stampede
