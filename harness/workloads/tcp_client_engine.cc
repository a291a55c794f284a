#include "workloads/tcp_client_engine.h"

#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include "core/clock.h"

namespace stampede {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
constexpr int kMaxEvents = 256;
constexpr int kMaxChunksPerEvent = 16;
constexpr std::size_t kMaxUnparsedBytes = 128 * 1024 * 1024;
constexpr int kStopCheckMs = 50;  // longest epoll wait, so a stop request is seen promptly
// Timers (pacing, reply timeouts) are checked at most this often: a scan visits every
// connection, and pacing catches up on the requests that fell due in between.
constexpr std::int64_t kTimerPeriodNs = 1000000;

enum class State { kConnecting, kOpen, kWaitingToReconnect, kClosed };

// How a connection ended: lost (the peer or the network ended it; a reconnecting engine
// opens it again) or final (protocol error, reply timeout, stop).
enum class Ending { kLost, kFinal };

struct Connection {
  ClientSession* session = nullptr;
  int fd = -1;
  State state = State::kConnecting;
  std::string out;
  std::size_t out_sent = 0;  // out[0, out_sent) already written
  std::string in;
  bool watching_writable = true;
  std::int64_t reopen_ns = 0;  // kWaitingToReconnect: when to connect again
};

class Loop {
 public:
  Loop(const TcpEndpoint& endpoint, const TcpEngineOptions& options)
      : endpoint_(endpoint), options_(options), epoll_fd_(epoll_create1(EPOLL_CLOEXEC)) {}
  ~Loop() {
    for (auto& connection : connections_) {
      if (connection.fd >= 0) close(connection.fd);
    }
    if (epoll_fd_ >= 0) close(epoll_fd_);
  }

  void Run(const std::vector<ClientSession*>& sessions, const std::stop_token& stop);

 private:
  void Open(std::size_t index);
  void Handle(std::size_t index, std::uint32_t events);
  void FinishConnect(Connection& connection);
  void ReadAvailable(Connection& connection);
  void ConsumeReplies(Connection& connection);
  void ProduceAndFlush(Connection& connection, std::int64_t now_ns);
  void Flush(Connection& connection);
  void WatchWritable(Connection& connection, bool watch);
  void End(Connection& connection, OpType type, const std::string& why,
           Ending ending = Ending::kLost);
  void Reopen(Connection& connection, std::int64_t now_ns);
  void CloseQuietly(Connection& connection);
  void ServiceTimers(std::int64_t now_ns);
  // How long epoll may wait: until the next paced send is due, at most kStopCheckMs.
  int WaitMs(std::int64_t now_ns) const;

  const TcpEndpoint& endpoint_;
  const TcpEngineOptions& options_;
  int epoll_fd_;
  std::vector<Connection> connections_;
  std::size_t open_ = 0;  // connections not yet closed
  std::int64_t next_timers_ns_ = 0;
  std::int64_t next_send_ns_ = INT64_MAX;  // earliest paced send seen by the last timer scan
  std::vector<char> scratch_ = std::vector<char>(kReadChunk);  // recv lands here first
};

void Loop::Run(const std::vector<ClientSession*>& sessions, const std::stop_token& stop) {
  connections_.resize(sessions.size());
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    connections_[i].session = sessions[i];
    ++open_;
    if (epoll_fd_ < 0) {
      End(connections_[i], OpType::kFail, SocketErrorText("epoll_create1", errno), Ending::kFinal);
      continue;
    }
    Open(i);
  }
  std::vector<epoll_event> events(kMaxEvents);
  while (open_ > 0 && !stop.stop_requested()) {
    int ready = epoll_wait(epoll_fd_, events.data(), kMaxEvents, WaitMs(MonotonicNanos()));
    for (int i = 0; i < ready; ++i) Handle(events[i].data.u32, events[i].events);
    std::int64_t now_ns = MonotonicNanos();
    if (now_ns >= next_timers_ns_) {
      ServiceTimers(now_ns);
      next_timers_ns_ = now_ns + kTimerPeriodNs;
    }
  }
  for (auto& connection : connections_) {
    if (connection.state != State::kClosed) {
      End(connection, OpType::kInfo, "stopped before completion", Ending::kFinal);
    }
  }
}

void Loop::Open(std::size_t index) {
  Connection& connection = connections_[index];
  connection.state = State::kConnecting;
  connection.watching_writable = true;
  // Requests are produced (and their invokes recorded) before connecting, so a refused
  // connection completes them as failures.
  connection.session->Produce(MonotonicNanos(), connection.out);
  connection.fd =
      socket(endpoint_.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (connection.fd < 0)
    return End(connection, OpType::kFail, SocketErrorText("socket", errno), Ending::kFinal);
  int one = 1;
  setsockopt(connection.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(connection.fd, reinterpret_cast<const sockaddr*>(&endpoint_.address),
              endpoint_.length) != 0 &&
      errno != EINPROGRESS) {
    return End(connection, OpType::kFail, SocketErrorText("connect", errno));
  }
  epoll_event event{};
  event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
  event.data.u32 = static_cast<std::uint32_t>(index);
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, connection.fd, &event) != 0) {
    End(connection, OpType::kFail, SocketErrorText("epoll_ctl", errno), Ending::kFinal);
  }
}

void Loop::Handle(std::size_t index, std::uint32_t events) {
  Connection& connection = connections_[index];
  // An event of a socket closed earlier in the same batch: nothing left to handle.
  if (connection.state == State::kClosed || connection.state == State::kWaitingToReconnect) return;
  if (connection.state == State::kConnecting) {
    FinishConnect(connection);
    if (connection.state != State::kOpen) return;
  }
  if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) ReadAvailable(connection);
  if (connection.state == State::kOpen && (events & EPOLLOUT) != 0) Flush(connection);
}

void Loop::FinishConnect(Connection& connection) {
  int error = 0;
  socklen_t length = sizeof error;
  getsockopt(connection.fd, SOL_SOCKET, SO_ERROR, &error, &length);
  if (error != 0) return End(connection, OpType::kFail, SocketErrorText("connect", error));
  connection.state = State::kOpen;
  Flush(connection);
}

void Loop::ReadAvailable(Connection& connection) {
  bool peer_closed = false;
  // Level-triggered: what is left after kMaxChunksPerEvent is read on the next wake-up, so a
  // peer that streams without end cannot hold the loop.
  for (int chunk = 0; chunk < kMaxChunksPerEvent; ++chunk) {
    ssize_t n = recv(connection.fd, scratch_.data(), scratch_.size(), 0);
    if (n > 0) {
      connection.in.append(scratch_.data(), static_cast<std::size_t>(n));
      // A short read drained the socket; skip the recv that would only say EAGAIN.
      if (static_cast<std::size_t>(n) < scratch_.size()) break;
      continue;
    }
    if (n == 0) {
      peer_closed = true;
      break;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    ConsumeReplies(connection);  // what arrived before the error still counts
    if (connection.state == State::kOpen)
      End(connection, OpType::kFail, SocketErrorText("recv", errno));
    return;
  }
  ConsumeReplies(connection);
  if (connection.state != State::kOpen) return;
  if (connection.in.size() > kMaxUnparsedBytes) {
    return End(connection, OpType::kFail,
               "protocol error: more than " + std::to_string(kMaxUnparsedBytes) +
                   " bytes without a complete reply",
               Ending::kFinal);
  }
  if (peer_closed) {
    if (connection.session->Finished()) return CloseQuietly(connection);
    return End(connection, OpType::kFail, "connection closed by peer");
  }
  ProduceAndFlush(connection, MonotonicNanos());
}

void Loop::ConsumeReplies(Connection& connection) {
  std::size_t offset = 0;
  while (offset < connection.in.size()) {
    auto consumed = connection.session->Consume(std::string_view(connection.in).substr(offset));
    if (!consumed.ok()) {
      return End(connection, OpType::kFail, "protocol error: " + consumed.error().message,
                 Ending::kFinal);
    }
    if (consumed.value() == 0) break;
    offset += consumed.value();
  }
  connection.in.erase(0, offset);
  if (connection.session->Finished()) CloseQuietly(connection);
}

void Loop::ProduceAndFlush(Connection& connection, std::int64_t now_ns) {
  if (connection.state != State::kOpen) return;
  connection.session->Produce(now_ns, connection.out);
  if (std::int64_t next = connection.session->NextSendNs(); next != 0) {
    next_send_ns_ = std::min(next_send_ns_, next);
  }
  Flush(connection);
}

void Loop::Flush(Connection& connection) {
  while (connection.out_sent < connection.out.size()) {
    ssize_t n = send(connection.fd, connection.out.data() + connection.out_sent,
                     connection.out.size() - connection.out_sent, MSG_NOSIGNAL);
    if (n > 0) {
      connection.out_sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return WatchWritable(connection, true);
    return End(connection, OpType::kFail, SocketErrorText("send", errno));
  }
  connection.out.clear();
  connection.out_sent = 0;
  WatchWritable(connection, false);
}

void Loop::WatchWritable(Connection& connection, bool watch) {
  if (connection.watching_writable == watch) return;
  epoll_event event{};
  event.events = EPOLLIN | EPOLLRDHUP | (watch ? EPOLLOUT : 0u);
  event.data.u32 = static_cast<std::uint32_t>(&connection - connections_.data());
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, connection.fd, &event);
  connection.watching_writable = watch;
}

void Loop::End(Connection& connection, OpType type, const std::string& why, Ending ending) {
  connection.session->Abandon(type, why);
  if (ending == Ending::kLost && options_.reconnect_delay_ms > 0 &&
      !connection.session->Finished() && connection.state != State::kClosed) {
    return Reopen(connection, MonotonicNanos());
  }
  CloseQuietly(connection);
}

// Closes the socket and schedules a new connection; the connection stays counted as open.
void Loop::Reopen(Connection& connection, std::int64_t now_ns) {
  if (connection.fd >= 0) close(connection.fd);
  connection.fd = -1;
  connection.in.clear();
  connection.out.clear();
  connection.out_sent = 0;
  connection.state = State::kWaitingToReconnect;
  connection.reopen_ns = now_ns + std::int64_t{options_.reconnect_delay_ms} * 1000000;
  next_send_ns_ = std::min(next_send_ns_, connection.reopen_ns);
}

void Loop::CloseQuietly(Connection& connection) {
  if (connection.state == State::kClosed) return;
  if (connection.fd >= 0) close(connection.fd);  // also removes it from the epoll set
  connection.fd = -1;
  connection.state = State::kClosed;
  --open_;
}

// Sends paced requests that are due, and ends connections whose oldest request timed out.
void Loop::ServiceTimers(std::int64_t now_ns) {
  const std::int64_t timeout_ns = std::int64_t{options_.reply_timeout_ms} * 1000000;
  next_send_ns_ = INT64_MAX;
  for (auto& connection : connections_) {
    if (connection.state == State::kWaitingToReconnect) {
      if (connection.reopen_ns <= now_ns) {
        Open(static_cast<std::size_t>(&connection - connections_.data()));
      } else {
        next_send_ns_ = std::min(next_send_ns_, connection.reopen_ns);
      }
      continue;
    }
    if (connection.state != State::kOpen) continue;
    auto oldest = connection.session->OldestOutstandingNs();
    if (oldest && now_ns - *oldest > timeout_ns) {
      End(connection, OpType::kInfo,
          kNoReplyWithin + std::to_string(options_.reply_timeout_ms) + " ms", Ending::kFinal);
      continue;
    }
    std::int64_t next = connection.session->NextSendNs();
    if (next == 0) continue;
    if (next <= now_ns) {
      ProduceAndFlush(connection, now_ns);
      next = connection.session->NextSendNs();
    }
    if (next != 0) next_send_ns_ = std::min(next_send_ns_, next);
  }
}

int Loop::WaitMs(std::int64_t now_ns) const {
  if (next_send_ns_ == INT64_MAX) return kStopCheckMs;
  std::int64_t wake = std::max(next_send_ns_, next_timers_ns_);
  return static_cast<int>(
      std::clamp<std::int64_t>((wake - now_ns + 999999) / 1000000, 0, kStopCheckMs));
}

}  // namespace

Result<TcpEndpoint> ParseTcpEndpoint(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return InvalidInput("\"" + text + "\" is not HOST:PORT");
  }
  std::string host = text.substr(0, colon);
  std::string port_text = text.substr(colon + 1);
  int port = 0;
  if (port_text.find_first_not_of("0123456789") != std::string::npos || port_text.size() > 5 ||
      (port = std::stoi(port_text)) < 1 || port > 65535) {
    return InvalidInput("\"" + text + "\": port must be a number from 1 to 65535");
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") host = "127.0.0.1";
  TcpEndpoint endpoint;
  endpoint.display = text;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&endpoint.address);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&endpoint.address);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<std::uint16_t>(port));
    endpoint.length = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<std::uint16_t>(port));
    endpoint.length = sizeof(sockaddr_in6);
  } else {
    return InvalidInput("\"" + text + "\": host must be a numeric address or localhost");
  }
  return endpoint;
}

void RunClientSessions(const TcpEndpoint& endpoint, const std::vector<ClientSession*>& sessions,
                       const TcpEngineOptions& options, const std::stop_token& stop) {
  Loop loop(endpoint, options);
  loop.Run(sessions, stop);
}

std::string SocketErrorText(const char* what, int error) {
  if (error == ECONNRESET || error == EPIPE) return "connection reset by peer";
  return std::string(what) + ": " + std::strerror(error);
}

}  // namespace stampede
