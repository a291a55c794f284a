// The epoll backend: one thread, non-blocking sockets, a level-triggered listening socket that
// is drained with accept4() until EAGAIN, per-connection input and output buffers, and a sorted
// timer list (the epoll_wait timeout) for /slow, so a slow request never blocks the loop. See
// server.h for the contract.
//
// Requests pipelined on one connection are answered strictly in order: while a /slow reply is
// waiting for its timer, the connection neither parses nor reads further input.
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "http_parser.h"
#include "net.h"
#include "routes.h"
#include "server.h"
#include "stop_signal.h"

namespace {

using Clock = std::chrono::steady_clock;

// epoll_event.data.u64 keys; connections get unique, never reused keys from kFirstConnectionKey.
constexpr uint64_t kListenerKey = 0;
constexpr uint64_t kSignalKey = 1;
constexpr uint64_t kWakeKey = 2;
constexpr uint64_t kFirstConnectionKey = 16;

// Stop reading from a connection whose unparsed input or unsent output has grown this large.
constexpr size_t kMaxInput = http::kMaxHeaderBytes + http::kMaxBodyBytes + 16 * 1024;
constexpr size_t kMaxOutput = 1024 * 1024;
// After accept4() fails with EMFILE/ENFILE, stop accepting for this long.
constexpr auto kAcceptPause = std::chrono::milliseconds(100);

struct Connection {
  int fd = -1;
  std::string in;  // Unparsed input.
  size_t resume_at = 0;
  std::string out;  // Output; bytes before out_offset have been sent.
  size_t out_offset = 0;
  std::optional<Reply> delayed;   // A /slow reply waiting for its timer.
  bool no_more_requests = false;  // Close once `out` has been sent (and no reply is delayed).
  bool input_closed = false;      // The peer has shut down its sending side.
  uint32_t interest = 0;          // Events currently registered with epoll.

  size_t PendingOutput() const { return out.size() - out_offset; }
};

class EpollServer {
 public:
  explicit EpollServer(const ServerContext& context) : context_(context) {}
  ~EpollServer() {
    for (auto& [key, connection] : connections_) close(connection.fd);
    if (listening_) close(context_.listen_fd);
    if (epoll_fd_ >= 0) close(epoll_fd_);
  }
  EpollServer(const EpollServer&) = delete;
  EpollServer& operator=(const EpollServer&) = delete;

  int Run() {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0 || !Control(EPOLL_CTL_ADD, context_.listen_fd, kListenerKey, EPOLLIN) ||
        !Control(EPOLL_CTL_ADD, context_.stop->signal_fd(), kSignalKey, EPOLLIN) ||
        !Control(EPOLL_CTL_ADD, context_.stop->wake_fd(), kWakeKey, EPOLLIN)) {
      std::perror("http-server: epoll");
      return 1;
    }
    std::vector<epoll_event> events(256);
    while (!stopping_ || !connections_.empty()) {
      int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), TimeoutMs());
      if (n < 0 && errno != EINTR) {
        std::perror("http-server: epoll_wait");
        return 1;
      }
      for (int i = 0; i < n; ++i) Dispatch(events[i].data.u64, events[i].events);
      FireDueTimers();
      ResumeAccepting();
      if (context_.stop->stop_requested() && !stopping_) BeginStop();
    }
    std::fputs("http-server: all connections closed\n", stderr);
    return 0;
  }

 private:
  bool Control(int op, int fd, uint64_t key, uint32_t events) {
    epoll_event event{};
    event.events = events;
    event.data.u64 = key;
    return epoll_ctl(epoll_fd_, op, fd, &event) == 0;
  }

  void Dispatch(uint64_t key, uint32_t events) {
    if (key == kListenerKey) {
      if (listening_ && !accept_paused_until_) AcceptReady();
    } else if (key == kSignalKey) {
      context_.stop->OnSignalReadable();
    } else if (key >= kFirstConnectionKey) {
      OnConnectionEvent(key, events);
    }  // kWakeKey: the stop is noticed at the end of the loop iteration.
  }

  void AcceptReady() {
    for (;;) {
      int fd = accept4(context_.listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd >= 0) {
        AddConnection(fd);
        continue;
      }
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE) {
        std::fprintf(stderr, "http-server: accept: %s; pausing\n", std::strerror(errno));
        Control(EPOLL_CTL_DEL, context_.listen_fd, kListenerKey, 0);
        accept_paused_until_ = Clock::now() + kAcceptPause;
      } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
        std::fprintf(stderr, "http-server: accept: %s\n", std::strerror(errno));
      }
      return;
    }
  }

  void ResumeAccepting() {
    if (!accept_paused_until_ || Clock::now() < *accept_paused_until_) return;
    accept_paused_until_.reset();
    if (listening_) Control(EPOLL_CTL_ADD, context_.listen_fd, kListenerKey, EPOLLIN);
  }

  void AddConnection(int fd) {
    uint64_t key = next_key_++;
    if (!Control(EPOLL_CTL_ADD, fd, key, EPOLLIN)) {
      close(fd);
      return;
    }
    Connection& connection = connections_[key];
    connection.fd = fd;
    connection.interest = EPOLLIN;
  }

  void OnConnectionEvent(uint64_t key, uint32_t events) {
    auto it = connections_.find(key);
    if (it == connections_.end()) return;  // Closed earlier in this batch of events.
    // ERR or HUP: the peer is gone in both directions; nothing more can be delivered.
    if ((events & (EPOLLERR | EPOLLHUP)) || ((events & EPOLLIN) && !ReadInput(it->second))) {
      Close(key);
      return;
    }
    Advance(key, it->second);
  }

  // Reads what is available into connection.in. Returns false if the connection failed.
  static bool ReadInput(Connection& connection) {
    return ReadAvailable(connection.fd, kMaxInput, &connection.in, &connection.input_closed);
  }

  // Answers what can be answered, sends what can be sent, then closes the connection if it is
  // finished or updates its epoll interest.
  void Advance(uint64_t key, Connection& connection) {
    bool backlogged;
    do {
      backlogged = ProcessInput(key, connection);
      if (!WriteOutput(connection)) return Close(key);
      // All output sent but requests left unanswered: no event would come to resume them.
    } while (backlogged && connection.PendingOutput() == 0);
    if (connection.PendingOutput() == 0 && !connection.delayed && connection.no_more_requests) {
      Close(key);
    } else {
      UpdateInterest(key, connection);
    }
  }

  // Parses and answers the complete requests in connection.in, in order, until one is delayed.
  // Returns true if it stopped because kMaxOutput bytes of output are waiting to be sent.
  bool ProcessInput(uint64_t key, Connection& connection) {
    size_t offset = 0;
    bool backlogged = false;
    while (!connection.delayed && !connection.no_more_requests &&
           !(backlogged = connection.PendingOutput() >= kMaxOutput)) {
      std::string_view input = std::string_view(connection.in).substr(offset);
      http::ParseResult parsed = http::ParseRequest(input, connection.resume_at);
      if (parsed.status == http::ParseStatus::kIncomplete) {
        connection.resume_at = parsed.resume_at;
        connection.no_more_requests = connection.input_closed;
        break;
      }
      if (parsed.status == http::ParseStatus::kError) {
        Queue(connection, ErrorReply(parsed.error_status));
        offset = connection.in.size();
        break;
      }
      offset += parsed.consumed;
      connection.resume_at = 0;
      Reply reply = PrepareReply(parsed.request, *context_.cache);
      if (reply.delay_ms > 0) {
        timers_.emplace(Clock::now() + std::chrono::milliseconds(reply.delay_ms), key);
        connection.delayed = std::move(reply);
      } else {
        Queue(connection, reply);
      }
    }
    connection.in.erase(0, offset);
    return backlogged;
  }

  void Queue(Connection& connection, const Reply& reply) {
    connection.out += SerializeReply(reply, stopping_);
    if (ClosesConnection(reply, stopping_)) connection.no_more_requests = true;
    if (reply.stop_server) context_.stop->RequestStop();
  }

  // Sends as much pending output as the socket takes. Returns false if the connection failed.
  static bool WriteOutput(Connection& connection) {
    return WriteAvailable(connection.fd, &connection.out, &connection.out_offset);
  }

  void UpdateInterest(uint64_t key, Connection& connection) {
    bool wants_input = !connection.delayed && !connection.no_more_requests &&
                       !connection.input_closed && connection.in.size() < kMaxInput &&
                       connection.PendingOutput() < kMaxOutput;
    uint32_t interest = 0;
    if (wants_input) interest |= EPOLLIN;
    if (connection.PendingOutput() > 0) interest |= EPOLLOUT;
    if (interest == connection.interest) return;
    connection.interest = interest;
    Control(EPOLL_CTL_MOD, connection.fd, key, interest);
  }

  void FireDueTimers() {
    Clock::time_point now = Clock::now();
    while (!timers_.empty() && timers_.begin()->first <= now) {
      uint64_t key = timers_.begin()->second;
      timers_.erase(timers_.begin());
      auto it = connections_.find(key);
      if (it == connections_.end()) continue;  // The connection failed meanwhile.
      Reply reply = std::move(*it->second.delayed);
      it->second.delayed.reset();
      Queue(it->second, reply);
      Advance(key, it->second);
    }
  }

  // Milliseconds until the next timer (rounded up), or -1 to wait for I/O only.
  int TimeoutMs() const {
    std::optional<Clock::time_point> next = accept_paused_until_;
    if (!timers_.empty() && (!next || timers_.begin()->first < *next)) {
      next = timers_.begin()->first;
    }
    if (!next) return -1;
    auto wait = std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now());
    return static_cast<int>(std::max<int64_t>(wait.count(), 0));
  }

  // Stops accepting, closes idle connections and lets busy ones finish their current request;
  // Run() keeps looping until the last one has closed.
  void BeginStop() {
    stopping_ = true;
    close(context_.listen_fd);  // Also removes it from the epoll set.
    listening_ = false;
    std::fprintf(stderr, "http-server: wait for all connections to close (%zu open)\n",
                 connections_.size());
    Control(EPOLL_CTL_DEL, context_.stop->wake_fd(), kWakeKey, 0);  // It stays readable.
    std::vector<uint64_t> keys;
    for (auto& [key, connection] : connections_) keys.push_back(key);
    for (uint64_t key : keys) {
      Connection& connection = connections_.at(key);
      connection.no_more_requests = true;
      Advance(key, connection);
    }
  }

  void Close(uint64_t key) {
    auto it = connections_.find(key);
    DiscardPendingInput(it->second.fd);
    close(it->second.fd);
    connections_.erase(it);
  }

  const ServerContext& context_;
  int epoll_fd_ = -1;
  bool listening_ = true;
  bool stopping_ = false;
  std::optional<Clock::time_point> accept_paused_until_;
  uint64_t next_key_ = kFirstConnectionKey;
  std::unordered_map<uint64_t, Connection> connections_;
  std::multimap<Clock::time_point, uint64_t> timers_;  // Deadline -> connection key.
};

}  // namespace

int RunEpollBackend(const ServerContext& context) {
  return EpollServer(context).Run();
}
