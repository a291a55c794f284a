// The rpc-server event loop. See server.h for the contract.
//
// Level-triggered epoll on one thread. Each connection has an input buffer and an outbox (its
// output buffer). Complete request frames are decoded from the input and submitted to the
// WorkerPool tagged with the connection's id; workers post encoded replies to the
// CompletionQueue, whose eventfd wakes this thread, which appends each reply to the outbox of
// the connection with that id, if it still exists, and writes. Ids are never reused, so a reply
// for a connection that closed meanwhile is dropped.
//
// Flow control: a connection is not read while it has kMaxInFlight calls (or kMaxInFlightBytes
// of request payload) being served, or kMaxOutput bytes of replies unsent.
#include "server.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "net.h"
#include "protocols/rpc_frame.h"
#include "stop_signal.h"
#include "worker_pool.h"

namespace rpc = stampede::rpc;

namespace {

using Clock = std::chrono::steady_clock;

// epoll_event.data.u64 keys; connections get unique, never reused ids from kFirstConnectionKey.
constexpr uint64_t kListenerKey = 0;
constexpr uint64_t kSignalKey = 1;
constexpr uint64_t kWakeKey = 2;
constexpr uint64_t kCompletionKey = 3;
constexpr uint64_t kFirstConnectionKey = 16;

constexpr size_t kReadChunk = 256 * 1024;      // Most bytes read per readiness event.
constexpr size_t kMaxInFlight = 1024;          // Calls queued or being served, per connection.
constexpr size_t kMaxInFlightBytes = 8 << 20;  // Their request payload bytes.
constexpr size_t kMaxOutput = 1024 * 1024;     // Stop reading while this much is unsent.
constexpr auto kStopFlushDeadline = std::chrono::seconds(2);

struct Connection {
  int fd = -1;
  std::string in;   // Undecoded input.
  std::string out;  // The outbox; bytes before out_offset have been sent.
  size_t out_offset = 0;
  size_t in_flight = 0;        // Calls submitted whose reply has not come back yet.
  size_t in_flight_bytes = 0;  // Their request payload bytes.
  bool input_eof = false;      // The peer has shut down its sending side.
  bool closing = false;        // Stopping: no more requests; close once the replies are out.
  bool touched = false;        // Got replies in the current completion batch.
  uint32_t interest = 0;

  size_t PendingOutput() const { return out.size() - out_offset; }
  bool HasRoom() const {
    return in_flight < kMaxInFlight && in_flight_bytes < kMaxInFlightBytes &&
           PendingOutput() < kMaxOutput;
  }
  bool Reading() const { return !closing && !input_eof && HasRoom(); }
  bool Done() const { return (closing || input_eof) && in_flight == 0 && PendingOutput() == 0; }
};

class Server {
 public:
  Server(int listen_fd, StopSignal* stop, const ServerOptions& options)
      : listen_fd_(listen_fd),
        stop_(stop),
        pool_(options.workers, options.jitter_us, options.bug, &completions_) {}
  ~Server() {
    pool_.Stop();
    for (auto& [key, connection] : connections_) close(connection.fd);
    if (listen_fd_ >= 0) close(listen_fd_);
    if (epoll_fd_ >= 0) close(epoll_fd_);
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int Run() {
    std::string error;
    if (!completions_.Open(&error) || !pool_.Start(&error)) {
      std::fprintf(stderr, "rpc-server: %s\n", error.c_str());
      return 1;
    }
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0 || !Control(EPOLL_CTL_ADD, listen_fd_, kListenerKey, EPOLLIN) ||
        !Control(EPOLL_CTL_ADD, stop_->signal_fd(), kSignalKey, EPOLLIN) ||
        !Control(EPOLL_CTL_ADD, stop_->wake_fd(), kWakeKey, EPOLLIN) ||
        !Control(EPOLL_CTL_ADD, completions_.event_fd(), kCompletionKey, EPOLLIN)) {
      std::perror("rpc-server: epoll");
      return 1;
    }
    std::vector<epoll_event> events(256);
    while (!stopping_ || (!connections_.empty() && Clock::now() < stop_deadline_)) {
      int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()),
                         stopping_ ? 50 : -1);
      if (n < 0 && errno != EINTR) {
        std::perror("rpc-server: epoll_wait");
        return 1;
      }
      for (int i = 0; i < n; ++i) Dispatch(events[i].data.u64, events[i].events);
    }
    pool_.Stop();  // Before the connections close: no worker is left running.
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
    } else if (key == kCompletionKey) {
      OnCompletions();
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
        if (errno != EAGAIN && errno != EWOULDBLOCK) std::perror("rpc-server: accept4");
        return;
      }
      SetNoDelay(fd);
      uint64_t key = next_key_++;
      Connection& connection = connections_[key];
      connection.fd = fd;
      connection.interest = EPOLLIN;
      if (!Control(EPOLL_CTL_ADD, fd, key, EPOLLIN)) CloseConnection(key);
    }
  }

  // Stop accepting and reading; connections get the replies to the calls already submitted,
  // then close.
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
      Connection& connection = connections_[key];
      connection.closing = true;
      Settle(key, &connection);
    }
  }

  void OnConnectionEvent(uint64_t key, Connection* connection, uint32_t events) {
    if (connection->Reading() && (events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
      if (!ReadAvailable(connection->fd, connection->in.size() + kReadChunk, &connection->in,
                         &connection->input_eof)) {
        CloseConnection(key);
        return;
      }
    } else if (events & (EPOLLHUP | EPOLLERR)) {
      CloseConnection(key);  // Reset by the peer, or both directions shut: nobody to answer.
      return;
    }
    Settle(key, connection);
  }

  // Moves every reply the workers have finished into its connection's outbox, then settles the
  // connections that got replies (write, decode more requests).
  void OnCompletions() {
    std::vector<uint64_t> touched;
    for (Completion& completion : completions_.TakeAll()) {
      auto it = connections_.find(completion.connection);
      if (it == connections_.end()) continue;  // Closed meanwhile: the reply is dropped.
      Connection& connection = it->second;
      connection.out.append(completion.reply);
      connection.in_flight--;
      connection.in_flight_bytes -= completion.request_bytes;
      if (!connection.touched) {
        connection.touched = true;
        touched.push_back(it->first);
      }
    }
    for (uint64_t key : touched) {
      auto it = connections_.find(key);
      if (it == connections_.end()) continue;
      it->second.touched = false;
      Settle(key, &it->second);
    }
  }

  // Decodes the complete request frames in the input buffer (while the connection has room)
  // and submits them to the workers. Returns false if the input is not this protocol.
  bool SubmitRequests(uint64_t key, Connection* connection) {
    size_t used = 0;
    while (!connection->closing && connection->HasRoom()) {
      rpc::DecodeResult decoded = rpc::DecodeFrame(std::string_view(connection->in).substr(used));
      if (decoded.status == rpc::DecodeStatus::kIncomplete) break;
      if (decoded.status == rpc::DecodeStatus::kError || decoded.frame.flags != 0) return false;
      used += decoded.consumed;
      connection->in_flight++;
      connection->in_flight_bytes += decoded.frame.payload.size();
      pool_.Submit(Job{key, std::move(decoded.frame)});
    }
    connection->in.erase(0, used);
    return true;
  }

  // Writes what it can, submits the requests the connection now has room for, then closes the
  // connection (once it is done, or at once if its input is not this protocol) or updates its
  // epoll interest. Runs after every read and every batch of replies.
  void Settle(uint64_t key, Connection* connection) {
    if (!WriteAvailable(connection->fd, &connection->out, &connection->out_offset) ||
        !SubmitRequests(key, connection)) {
      CloseConnection(key);
      return;
    }
    if (connection->Done()) {
      shutdown(connection->fd, SHUT_WR);
      CloseConnection(key);
      return;
    }
    uint32_t interest = 0;
    if (connection->Reading()) interest |= EPOLLIN;
    if (connection->PendingOutput() > 0) interest |= EPOLLOUT;
    if (interest != connection->interest) {
      connection->interest = interest;
      Control(EPOLL_CTL_MOD, connection->fd, key, interest);
    }
  }

  // Closes the socket and forgets the connection; replies still being computed for it are
  // dropped when they come back. Unread input is discarded first, so that the close is a FIN
  // rather than a reset where possible.
  void CloseConnection(uint64_t key) {
    auto it = connections_.find(key);
    if (it == connections_.end()) return;
    DiscardPendingInput(it->second.fd);
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
  CompletionQueue completions_;  // Declared before pool_: outlives the workers that post to it.
  WorkerPool pool_;
};

}  // namespace

int RunServer(int listen_fd, StopSignal* stop, const ServerOptions& options) {
  Server server(listen_fd, stop, options);
  return server.Run();
}
