#include "workloads/liveness_probe.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "core/clock.h"
#include "protocols/http_response.h"

namespace stampede {
namespace {

constexpr int kStopCheckMs = 50;

// Owns the probe's socket and the deadline all its waits share.
class Probe {
 public:
  Probe(int deadline_ms, const std::stop_token& stop)
      : start_ns_(MonotonicNanos()),
        deadline_ns_(start_ns_ + std::int64_t{deadline_ms} * 1000000),
        stop_(stop) {}
  ~Probe() {
    if (fd_ >= 0) close(fd_);
  }

  ProbeResult Run(const TcpEndpoint& endpoint, const std::string& path, int deadline_ms) {
    const auto* address = reinterpret_cast<const sockaddr*>(&endpoint.address);
    fd_ = socket(address->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return Error("connect", SocketErrorText("socket", errno));
    if (connect(fd_, address, endpoint.length) != 0 && errno != EINPROGRESS) {
      return Error("connect", SocketErrorText("connect", errno));
    }
    if (auto waited = Wait(POLLOUT, "connect", deadline_ms)) return *waited;
    int error = 0;
    socklen_t length = sizeof error;
    getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) return Error("connect", SocketErrorText("connect", error));
    const std::string request = http::GetRequest(path, endpoint.display);
    if (send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      return Error("response", SocketErrorText("send", errno));
    }
    return ReadResponse(deadline_ms);
  }

 private:
  ProbeResult ReadResponse(int deadline_ms) {
    std::string input;
    char buffer[16384];
    for (;;) {
      if (auto waited = Wait(POLLIN, "response", deadline_ms)) return *waited;
      ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n < 0) return Error("response", SocketErrorText("recv", errno));
      if (n > 0) input.append(buffer, static_cast<std::size_t>(n));
      auto response = http::ParseResponse(input, n == 0);
      if (response.status == http::ParseStatus::kError) {
        return Error("response", "protocol error: " + response.error);
      }
      if (response.status == http::ParseStatus::kResponse) {
        if (response.code >= 200 && response.code < 400) {
          return Result(ProbeOutcome::kAnswered, "", std::to_string(response.code));
        }
        return Error("status", fmt::format("status {}", response.code));
      }
      if (n == 0) return Error("response", "connection closed before the answer");
    }
  }

  // Waits for `events` on the socket; a result when the probe must end instead.
  std::optional<ProbeResult> Wait(short events, const char* stage, int deadline_ms) {
    for (;;) {
      if (stop_.stop_requested()) return Result(ProbeOutcome::kStopped, "", "stopped");
      const std::int64_t left_ns = deadline_ns_ - MonotonicNanos();
      if (left_ns <= 0) {
        return Result(ProbeOutcome::kTimeout, stage,
                      fmt::format("no {} within {} ms", stage, deadline_ms));
      }
      pollfd pfd{fd_, events, 0};
      const int wait_ms =
          static_cast<int>(std::min<std::int64_t>(kStopCheckMs, (left_ns + 999999) / 1000000));
      if (poll(&pfd, 1, wait_ms) > 0) return std::nullopt;
    }
  }

  ProbeResult Result(ProbeOutcome outcome, std::string stage, std::string detail) const {
    return {outcome, std::move(stage), std::move(detail), (MonotonicNanos() - start_ns_) / 1000000};
  }
  ProbeResult Error(std::string stage, std::string why) const {
    return Result(ProbeOutcome::kError, std::move(stage), std::move(why));
  }

  const std::int64_t start_ns_;
  const std::int64_t deadline_ns_;
  const std::stop_token& stop_;
  int fd_ = -1;
};

}  // namespace

ProbeResult ProbeHttp(const TcpEndpoint& endpoint, const std::string& path, int deadline_ms,
                      const std::stop_token& stop) {
  return Probe(deadline_ms, stop).Run(endpoint, path, deadline_ms);
}

}  // namespace stampede
