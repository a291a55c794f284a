#include "serve_loop.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "net.h"

namespace {

constexpr size_t kMaxConnections = 900;            // Below the usual limit of 1024 open files.
constexpr size_t kReadChunk = 64 * 1024;           // At most this much is read per readiness.
constexpr size_t kMaxLine = 1024 * 1024;           // A longer echo line closes the connection.
constexpr size_t kMaxPendingOutput = 1024 * 1024;  // Stop reading while this much is unsent.
constexpr size_t kMaxGarbage = 4096;
constexpr int kAcceptPauseMs = 50;  // After EMFILE and the like, before accepting again.

struct Connection {
  int fd = -1;
  std::string in;
  std::string out;
  size_t out_offset = 0;
  bool eof = false;  // The peer has shut down its side: close once `out` is sent.
};

class Server {
 public:
  Server(int listen_fd, StopSignal* stop, ConnectionPolicy policy)
      : listen_fd_(listen_fd), stop_(stop), policy_(policy), random_(std::random_device{}()) {}

  int Run() {
    int status = 0;
    while (!Stopping()) {
      if (!PollOnce()) {
        std::fprintf(stderr, "hostile: poll: %s\n", std::strerror(errno));
        status = 1;
        break;
      }
    }
    for (Connection& connection : connections_) close(connection.fd);
    for (int fd : held_) close(fd);
    close(listen_fd_);
    return status;
  }

 private:
  bool Stopping() const { return stop_ != nullptr && stop_->stop_requested(); }

  // One poll(2) round; false on a poll error.
  bool PollOnce() {
    std::vector<pollfd> fds;
    if (stop_ != nullptr) {
      fds.push_back({stop_->signal_fd(), POLLIN, 0});
      fds.push_back({stop_->wake_fd(), POLLIN, 0});
    }
    bool accepting = held_.size() + connections_.size() < kMaxConnections && !accept_paused_;
    fds.push_back({accepting ? listen_fd_ : -1, POLLIN, 0});  // poll ignores a negative fd.
    size_t first_connection = fds.size();
    for (const Connection& connection : connections_) {
      short events = 0;
      if (!connection.eof && connection.out.size() < kMaxPendingOutput) events |= POLLIN;
      if (!connection.out.empty()) events |= POLLOUT;
      fds.push_back({connection.fd, events, 0});
    }
    int timeout = accept_paused_ ? kAcceptPauseMs : -1;
    accept_paused_ = false;
    if (poll(fds.data(), fds.size(), timeout) < 0) return errno == EINTR;
    if (stop_ != nullptr && (fds[0].revents & POLLIN) != 0) stop_->OnSignalReadable();
    if (Stopping()) return true;
    for (size_t i = 0; i < connections_.size(); ++i) {
      short revents = fds[first_connection + i].revents;
      if (revents != 0 && !Service(&connections_[i], revents)) {
        close(connections_[i].fd);
        connections_[i].fd = -1;
      }
    }
    std::erase_if(connections_, [](const Connection& c) { return c.fd < 0; });
    if ((fds[first_connection - 1].revents & POLLIN) != 0) AcceptAll();
    return true;
  }

  void AcceptAll() {
    while (held_.size() + connections_.size() < kMaxConnections) {
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) accept_paused_ = true;  // EMFILE, ...
        return;
      }
      switch (policy_) {
        case ConnectionPolicy::kCloseAtOnce:
          close(fd);
          break;
        case ConnectionPolicy::kHoldUnread:
          held_.push_back(fd);  // Never polled: it is neither read nor written.
          break;
        case ConnectionPolicy::kEchoLines:
        case ConnectionPolicy::kGarbage:
          SetNoDelay(fd);
          connections_.push_back(Connection{.fd = fd});
          break;
      }
    }
  }

  // Reads, answers and writes what `revents` allows; false when the connection is done.
  bool Service(Connection* connection, short revents) {
    if ((revents & (POLLIN | POLLHUP | POLLERR)) != 0 && !connection->eof) {
      size_t before = connection->in.size();
      if (!ReadAvailable(connection->fd, before + kReadChunk, &connection->in, &connection->eof)) {
        return false;
      }
      if (connection->in.size() > before) Answer(connection);
      if (connection->in.size() > kMaxLine) return false;
    }
    if (!WriteAvailable(connection->fd, &connection->out, &connection->out_offset)) return false;
    return !(connection->eof && connection->out.empty());
  }

  void Answer(Connection* connection) {
    if (policy_ == ConnectionPolicy::kGarbage) {
      connection->in.clear();
      AppendGarbage(&connection->out);
      return;
    }
    size_t end = connection->in.rfind('\n');
    if (end == std::string::npos) return;
    connection->out.append(connection->in, 0, end + 1);  // Whole lines, as they came.
    connection->in.erase(0, end + 1);
  }

  // 1 to kMaxGarbage random bytes; the first is not ASCII, so no text or RESP reply starts there.
  void AppendGarbage(std::string* out) {
    std::uniform_int_distribution<size_t> size(1, kMaxGarbage);
    std::uniform_int_distribution<int> byte(0, 255);
    size_t n = size(random_);
    out->push_back(static_cast<char>(0x80 | byte(random_)));
    for (size_t i = 1; i < n; ++i) out->push_back(static_cast<char>(byte(random_)));
  }

  int listen_fd_;
  StopSignal* stop_;
  ConnectionPolicy policy_;
  std::mt19937 random_;
  std::vector<Connection> connections_;
  std::vector<int> held_;
  bool accept_paused_ = false;
};

}  // namespace

int ServeConnections(int listen_fd, StopSignal* stop, ConnectionPolicy policy) {
  return Server(listen_fd, stop, policy).Run();
}
