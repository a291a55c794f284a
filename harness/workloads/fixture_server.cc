#include "workloads/fixture_server.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>

#include "core/clock.h"
#include "core/splitmix.h"
#include "protocols/http_request.h"

namespace stampede {
namespace {

constexpr int kPollMs = 50;
constexpr std::size_t kMaxQueuedAnswers = 1024;  // per connection; more pipelined ones wait

// splitmix64's first output from state `x`: a well-spread hash of x.
std::uint64_t Mix(std::uint64_t x) {
  return SplitMix64(x).Next();
}

// Whether request `index` is among `fraction` of all, for the choice named by `salt`.
bool Chosen(std::uint64_t seed, std::int64_t index, std::uint64_t salt, double fraction) {
  if (fraction <= 0) return false;
  if (fraction >= 1) return true;
  const std::uint64_t draw = Mix(Mix(seed ^ salt) + static_cast<std::uint64_t>(index)) % 1000000;
  return static_cast<double>(draw) < fraction * 1e6;
}

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

std::string Answer(int status, const std::string& seq, bool keep_alive) {
  const std::string body =
      status == 200 ? seq + "\n" : fmt::format("{} {}\n", status, Reason(status));
  return fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nX-Seq: {}\r\n{}\r\n{}",
      status, Reason(status), body.size(), seq, keep_alive ? "" : "Connection: close\r\n", body);
}

struct Pending {
  std::int64_t ready_ns = 0;
  std::string bytes;
  bool close_after = false;
};

struct Connection {
  int fd = -1;
  int id = 0;
  std::string input;
  std::string output;  // due now, not yet written
  std::deque<Pending> queued;
  bool closing = false;    // close once everything queued is written
  bool peer_done = false;  // the peer sent FIN: nothing more to read
};

enum class ReadResult { kOpen, kEof, kBroken };

}  // namespace

struct FixtureServer::Loop {
  FixtureServer& server;
  std::vector<Connection> connections;
  std::int64_t next_index = 0;

  void Accept() {
    for (;;) {
      int fd = accept4(server.listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;
      if (static_cast<int>(connections.size()) >= server.options_.max_connections) {
        close(fd);
        continue;
      }
      connections.push_back({fd, ++server.accepted_, {}, {}, {}, false, false});
    }
  }

  ReadResult Read(Connection& c) {
    char buffer[16384];
    for (;;) {
      ssize_t n = recv(c.fd, buffer, sizeof buffer, 0);
      if (n > 0) {
        c.input.append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      if (n == 0) return ReadResult::kEof;
      return errno == EAGAIN || errno == EINTR ? ReadResult::kOpen : ReadResult::kBroken;
    }
  }

  void ParseRequests(Connection& c) {
    while (!c.closing && c.queued.size() < kMaxQueuedAnswers) {
      auto request = http::ParseRequest(c.input);
      if (request.status == http::RequestStatus::kIncomplete) return;
      SeenRequest seen;
      seen.time_ns = MonotonicNanos();
      seen.connection = c.id;
      seen.index = next_index++;
      Pending pending;
      pending.ready_ns = seen.time_ns;
      if (request.status == http::RequestStatus::kError) {
        seen.status = 400;
        seen.error = request.error;
        pending.bytes = Answer(400, "", false);
        pending.close_after = true;
        c.closing = true;
        c.input.clear();
      } else {
        Judge(request, seen, pending);
        c.input.erase(0, request.consumed);
        if (!request.keep_alive) c.closing = pending.close_after = true;
      }
      c.queued.push_back(std::move(pending));
      std::lock_guard lock(server.mutex_);
      server.requests_.push_back(std::move(seen));
    }
  }

  void Judge(const http::Request& request, SeenRequest& seen, Pending& pending) const {
    const auto& options = server.options_;
    seen.method = request.method;
    seen.target = request.target;
    seen.seq = http::QueryParameter(request.target, "seq");
    if (seen.seq.empty()) seen.seq = std::to_string(seen.index);
    seen.status =
        Chosen(options.seed, seen.index, 1, options.fail_fraction) ? options.fail_status : 200;
    seen.delayed =
        options.delay_ms > 0 && Chosen(options.seed, seen.index, 2, options.delay_fraction);
    if (seen.delayed) pending.ready_ns += std::int64_t{options.delay_ms} * 1000000;
    pending.bytes = Answer(seen.status, seen.seq, request.keep_alive);
  }

  // Moves answers that are due, in order, to the output and writes; false when it ended.
  bool Flush(Connection& c, std::int64_t now) {
    while (!c.queued.empty() && c.queued.front().ready_ns <= now) {
      c.output += c.queued.front().bytes;
      c.queued.pop_front();
    }
    while (!c.output.empty()) {
      ssize_t n = send(c.fd, c.output.data(), c.output.size(), MSG_NOSIGNAL);
      if (n > 0) {
        c.output.erase(0, static_cast<std::size_t>(n));
      } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        return true;
      } else {
        return false;
      }
    }
    return !(c.closing && c.queued.empty() && c.output.empty());
  }

  std::int64_t NextDueNs(std::int64_t now) const {
    std::int64_t next = now + std::int64_t{kPollMs} * 1000000;
    for (const auto& c : connections) {
      if (!c.queued.empty()) next = std::min(next, c.queued.front().ready_ns);
    }
    return next;
  }

  void CloseAll() {
    for (auto& c : connections) close(c.fd);
    connections.clear();
  }
};

Result<std::unique_ptr<FixtureServer>> FixtureServer::Start(const FixtureOptions& options) {
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (listener < 0)
    return EnvironmentError(std::string("fixture: socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(listener, SOMAXCONN) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int error = errno;
    close(listener);
    return EnvironmentError(std::string("fixture: listen on 127.0.0.1: ") + std::strerror(error));
  }
  int wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake < 0) {
    close(listener);
    return EnvironmentError(std::string("fixture: eventfd: ") + std::strerror(errno));
  }
  std::unique_ptr<FixtureServer> server(
      new FixtureServer(options, listener, ntohs(address.sin_port), wake));
  server->thread_ = std::jthread([raw = server.get()](std::stop_token stop) { raw->Serve(stop); });
  return server;
}

FixtureServer::FixtureServer(const FixtureOptions& options, int listener, int port, int wake_fd)
    : options_(options), listener_(listener), port_(port), wake_fd_(wake_fd) {}

FixtureServer::~FixtureServer() {
  Stop();
  close(wake_fd_);
}

void FixtureServer::Stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  const std::uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof one);
  thread_.join();
}

std::vector<SeenRequest> FixtureServer::Requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void FixtureServer::Serve(const std::stop_token& stop) {
  Loop loop{*this, {}, 0};
  std::vector<pollfd> polled;
  while (!stop.stop_requested()) {
    const std::int64_t now = MonotonicNanos();
    polled.assign({{wake_fd_, POLLIN, 0}, {listener_, POLLIN, 0}});
    for (const auto& c : loop.connections) {
      short events = c.peer_done ? 0 : POLLIN;
      if (!c.output.empty()) events |= POLLOUT;
      polled.push_back({c.fd, events, 0});
    }
    const auto wait_ms =
        static_cast<int>(std::max<std::int64_t>(0, (loop.NextDueNs(now) - now + 999999) / 1000000));
    if (poll(polled.data(), polled.size(), wait_ms) < 0 && errno != EINTR) break;
    if (polled[1].revents != 0) loop.Accept();
    // polled[2 + i] belongs to connections[i] as they were before Accept appended more.
    const std::size_t polled_connections = polled.size() - 2;
    std::vector<bool> ended(loop.connections.size(), false);
    for (std::size_t i = 0; i < loop.connections.size(); ++i) {
      Connection& c = loop.connections[i];
      const short revents = i < polled_connections ? polled[2 + i].revents : short{POLLIN};
      ReadResult read = ReadResult::kOpen;
      if (!c.peer_done && (revents & (POLLIN | POLLHUP | POLLERR)) != 0) read = loop.Read(c);
      loop.ParseRequests(c);
      if (read == ReadResult::kBroken) {
        ended[i] = true;  // reset: nothing can be answered any more
        continue;
      }
      if (read == ReadResult::kEof) {
        c.peer_done = true;  // half-closed: answer what it asked, then close
        c.closing = true;
      }
      ended[i] = !loop.Flush(c, MonotonicNanos());
    }
    for (std::size_t i = loop.connections.size(); i-- > 0;) {
      if (!ended[i]) continue;
      close(loop.connections[i].fd);
      loop.connections.erase(loop.connections.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  loop.CloseAll();
  close(listener_);  // connections still in the accept queue are reset
}

}  // namespace stampede
