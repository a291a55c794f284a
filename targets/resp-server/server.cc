// The resp-server event loop. See server.h for the contract.
//
// Level-triggered epoll. The listener is drained with accept4() until EAGAIN. A connection is
// read while it has room for output; every complete request in its input buffer is executed in
// order, and the replies are written as far as the socket accepts them (EPOLLOUT for the rest).
#include "server.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "commands.h"
#include "net.h"
#include "resp_parser.h"
#include "stop_signal.h"

namespace {

using Clock = std::chrono::steady_clock;

// epoll_event.data.u64 keys; connections get unique, never reused keys from kFirstConnectionKey.
constexpr uint64_t kListenerKey = 0;
constexpr uint64_t kSignalKey = 1;
constexpr uint64_t kWakeKey = 2;
constexpr uint64_t kFirstConnectionKey = 16;

constexpr size_t kReadChunk = 256 * 1024;   // Most bytes read per readiness event.
constexpr size_t kMaxOutput = 1024 * 1024;  // Stop reading while this much output is unsent.
constexpr auto kStopFlushDeadline = std::chrono::seconds(2);

struct Connection {
  int fd = -1;
  std::string in;   // Unparsed input.
  std::string out;  // Output; bytes before out_offset have been sent.
  size_t out_offset = 0;
  bool input_eof = false;  // The peer has shut down its sending side.
  bool closing = false;    // No more requests: close once `out` has been sent.
  uint32_t interest = 0;

  size_t PendingOutput() const { return out.size() - out_offset; }
};

class Server {
 public:
  Server(int listen_fd, StopSignal* stop) : listen_fd_(listen_fd), stop_(stop) {}
  ~Server() {
    for (auto& [key, connection] : connections_) close(connection.fd);
    if (listen_fd_ >= 0) close(listen_fd_);
    if (epoll_fd_ >= 0) close(epoll_fd_);
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int Run() {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0 || !Control(EPOLL_CTL_ADD, listen_fd_, kListenerKey, EPOLLIN) ||
        !Control(EPOLL_CTL_ADD, stop_->signal_fd(), kSignalKey, EPOLLIN) ||
        !Control(EPOLL_CTL_ADD, stop_->wake_fd(), kWakeKey, EPOLLIN)) {
      std::perror("resp-server: epoll");
      return 1;
    }
    std::vector<epoll_event> events(256);
    while (!stopping_ || (!connections_.empty() && Clock::now() < stop_deadline_)) {
      int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()),
                         stopping_ ? 50 : -1);
      if (n < 0 && errno != EINTR) {
        std::perror("resp-server: epoll_wait");
        return 1;
      }
      for (int i = 0; i < n; ++i) Dispatch(events[i].data.u64, events[i].events);
    }
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
      AcceptAll();
    } else if (key == kSignalKey) {
      stop_->OnSignalReadable();
    } else if (key == kWakeKey) {
      BeginStop();
    } else {
      auto it = connections_.find(key);
      if (it != connections_.end()) OnConnectionEvent(key, &it->second, events);
    }
  }

  // Accepts every pending connection (level-triggered listener: until EAGAIN).
  void AcceptAll() {
    while (!stopping_) {
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) std::perror("resp-server: accept4");
        return;
      }
      uint64_t key = next_key_++;
      Connection& connection = connections_[key];
      connection.fd = fd;
      connection.interest = EPOLLIN;
      if (!Control(EPOLL_CTL_ADD, fd, key, EPOLLIN)) CloseConnection(key);
    }
  }

  // Stop accepting and reading; connections flush their replies and close.
  void BeginStop() {
    if (stopping_) return;
    stopping_ = true;
    stop_deadline_ = Clock::now() + kStopFlushDeadline;
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, stop_->wake_fd(), nullptr);
    close(listen_fd_);
    listen_fd_ = -1;
    std::vector<uint64_t> keys;
    for (auto& [key, connection] : connections_) keys.push_back(key);
    for (uint64_t key : keys) {
      connections_[key].closing = true;
      Settle(key, &connections_[key]);
    }
  }

  void OnConnectionEvent(uint64_t key, Connection* connection, uint32_t events) {
    bool readable = (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0;
    if (readable && !connection->closing && !connection->input_eof) {
      if (!ReadAvailable(connection->fd, connection->in.size() + kReadChunk, &connection->in,
                         &connection->input_eof)) {
        CloseConnection(key);
        return;
      }
    } else if ((events & EPOLLERR) && connection->PendingOutput() == 0) {
      CloseConnection(key);
      return;
    }
    // Also runs on EPOLLOUT: requests left waiting while the output was full go on now.
    ExecuteRequests(connection);
    Settle(key, connection);
  }

  // Executes the complete requests in the input buffer (while the output has room), appending
  // the replies in order. Once the peer has stopped sending and no complete request is left, the
  // connection is marked closing.
  void ExecuteRequests(Connection* connection) {
    size_t used = 0;
    while (!connection->closing && connection->PendingOutput() < kMaxOutput) {
      resp::ParseResult request = resp::ParseRequest(std::string_view(connection->in).substr(used));
      if (request.status == resp::ParseStatus::kIncomplete) {
        if (connection->input_eof) connection->closing = true;
        break;
      }
      if (request.status == resp::ParseStatus::kError) {
        resp::AppendProtocolError(request.error, &connection->out);
        connection->closing = true;
        break;
      }
      used += request.consumed;
      if (request.args.empty()) continue;
      if (resp::Execute(request.args, &store_, &connection->out) == resp::After::kClose) {
        connection->closing = true;
      }
    }
    connection->in.erase(0, used);
  }

  // Writes what it can, then closes the connection or updates its epoll interest.
  // Requests held back while the output was full are executed as soon as it drains.
  void Settle(uint64_t key, Connection* connection) {
    while (true) {
      if (!WriteAvailable(connection->fd, &connection->out, &connection->out_offset)) {
        CloseConnection(key);
        return;
      }
      if (connection->closing || connection->PendingOutput() >= kMaxOutput) break;
      size_t before = connection->in.size();
      ExecuteRequests(connection);
      if (connection->in.size() == before) break;
    }
    if (connection->closing && connection->PendingOutput() == 0) {
      shutdown(connection->fd, SHUT_WR);
      DiscardPendingInput(connection->fd);
      CloseConnection(key);
      return;
    }
    uint32_t interest = 0;
    if (!connection->closing && !connection->input_eof &&
        connection->PendingOutput() < kMaxOutput) {
      interest |= EPOLLIN;
    }
    if (connection->PendingOutput() > 0) interest |= EPOLLOUT;
    if (interest != connection->interest) {
      connection->interest = interest;
      Control(EPOLL_CTL_MOD, connection->fd, key, interest);
    }
  }

  void CloseConnection(uint64_t key) {
    auto it = connections_.find(key);
    if (it == connections_.end()) return;
    close(it->second.fd);  // Also removes it from the epoll set.
    connections_.erase(it);
  }

  int listen_fd_;
  StopSignal* stop_;
  int epoll_fd_ = -1;
  bool stopping_ = false;
  Clock::time_point stop_deadline_;
  uint64_t next_key_ = kFirstConnectionKey;
  std::unordered_map<uint64_t, Connection> connections_;
  resp::Store store_;
};

}  // namespace

int RunServer(int listen_fd, StopSignal* stop) {
  Server server(listen_fd, stop);
  return server.Run();
}
