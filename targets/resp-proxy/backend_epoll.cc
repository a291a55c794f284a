// The epoll backend: a simple alternative to the io_uring backend. See proxy.h for the contract.
// It has --bug split-reply like the io_uring backend (RelayReplies, once per readiness: what the
// upstream socket had ready is one receive) and ignores --bug pending-recv, which is specific to
// the io_uring backend.
//
// One thread, level-triggered epoll, non-blocking sockets. Each direction of a pair has a buffer
// of bytes read from its source (the upstream's: the replies they completed, encoded again) and
// not yet written to its destination; a source is read only while that buffer is below
// kMaxBuffered, so a slow reader throttles its writer.
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "net.h"
#include "proxy.h"
#include "stop_signal.h"

namespace {

// epoll_event.data.u64 keys: fixed ones, then (pair id << 1 | side) with pair ids from 16 on.
constexpr uint64_t kListenerKey = 0;
constexpr uint64_t kSignalKey = 1;
constexpr uint64_t kFirstPairId = 16;

constexpr size_t kMaxBuffered = 256 * 1024;

// Bytes read from sockets[side] and waiting to be written to sockets[1 - side].
struct Flow {
  std::string buffer;
  size_t offset = 0;  // Bytes of buffer already written.
  bool eof = false;   // The source reached an orderly EOF.
  bool shut = false;  // The destination was half-closed after the buffer drained.

  size_t Pending() const { return buffer.size() - offset; }
};

// Side 0 is the client socket, side 1 the upstream socket.
struct Pair {
  int sockets[2] = {-1, -1};
  Flow flows[2];
  ReplyDecoder replies;  // Decodes what is read from the upstream socket.
  uint32_t interest[2] = {0, 0};
};

class EpollProxy {
 public:
  explicit EpollProxy(const ProxyContext& context) : context_(context) {}
  ~EpollProxy() {
    for (auto& [id, pair] : pairs_) CloseFds(pair);
    if (context_.listen_fd >= 0) close(context_.listen_fd);
    if (epoll_fd_ >= 0) close(epoll_fd_);
  }
  EpollProxy(const EpollProxy&) = delete;
  EpollProxy& operator=(const EpollProxy&) = delete;

  int Run() {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0 || !Control(EPOLL_CTL_ADD, context_.listen_fd, kListenerKey, EPOLLIN) ||
        !Control(EPOLL_CTL_ADD, context_.stop->signal_fd(), kSignalKey, EPOLLIN)) {
      std::perror("resp-proxy: epoll");
      return 1;
    }
    std::vector<epoll_event> events(256);
    while (!context_.stop->stop_requested()) {
      int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), -1);
      if (n < 0 && errno != EINTR) {
        std::perror("resp-proxy: epoll_wait");
        return 1;
      }
      for (int i = 0; i < n; ++i) Dispatch(events[i].data.u64, events[i].events);
    }
    return 0;  // The destructor closes the listener and every pair.
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
      context_.stop->OnSignalReadable();
    } else {
      auto it = pairs_.find(key >> 1);
      if (it != pairs_.end()) OnSocketEvent(key >> 1, &it->second, key & 1, events);
    }
  }

  void AcceptAll() {
    while (true) {
      int fd = accept4(context_.listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) std::perror("resp-proxy: accept4");
        return;
      }
      StartPair(fd);
    }
  }

  // Connects the accepted client to the upstream server; a client whose upstream server cannot
  // be reached is closed at once.
  void StartPair(int client_fd) {
    std::string error;
    int upstream_fd = ConnectLoopback(context_.upstream, &error);
    if (upstream_fd < 0 || !SetNonBlocking(upstream_fd, true)) {
      std::fprintf(stderr, "resp-proxy: upstream %s: %s\n", context_.upstream.display.c_str(),
                   error.c_str());
      if (upstream_fd >= 0) close(upstream_fd);
      close(client_fd);
      return;
    }
    SetNoDelay(client_fd);
    uint64_t id = next_id_++;
    Pair& pair = pairs_[id];
    pair.sockets[0] = client_fd;
    pair.sockets[1] = upstream_fd;
    for (int side = 0; side < 2; ++side) {
      pair.interest[side] = EPOLLIN;
      Control(EPOLL_CTL_ADD, pair.sockets[side], id << 1 | side, EPOLLIN);
    }
  }

  void OnSocketEvent(uint64_t id, Pair* pair, int side, uint32_t events) {
    Flow& in = pair->flows[side];
    bool ok = true;
    if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && !in.eof) {
      ok = side == 0 ? ReadAvailable(pair->sockets[0], in.buffer.size() + kMaxBuffered, &in.buffer,
                                     &in.eof)
                     : ReadReplies(pair);
    }
    if (ok) ok = Flush(pair, side) && Flush(pair, 1 - side);
    // EPOLLHUP after EOF: the socket is dead both ways and would be reported again and again.
    bool dead = (events & EPOLLERR) || ((events & EPOLLHUP) && in.eof);
    if (!ok || dead || BothEnded(*pair)) return ClosePair(id);
    UpdateInterest(id, pair);
  }

  // Reads what the upstream socket has ready and appends the replies it completes to flows[1].
  // Returns false on a socket error or if the upstream sent something that is not RESP2.
  bool ReadReplies(Pair* pair) {
    Flow& flow = pair->flows[1];
    std::string received;
    return ReadAvailable(pair->sockets[1], kMaxBuffered, &received, &flow.eof) &&
           RelayReplies(context_, &pair->replies, received, &flow.buffer);
  }

  // Writes flows[side] to its destination; half-closes the destination once the flow has
  // ended and drained. Returns false on a socket error.
  bool Flush(Pair* pair, int side) {
    Flow& flow = pair->flows[side];
    int destination = pair->sockets[1 - side];
    if (!WriteAvailable(destination, &flow.buffer, &flow.offset)) return false;
    if (flow.eof && flow.Pending() == 0 && !flow.shut) {
      flow.shut = true;
      shutdown(destination, SHUT_WR);
    }
    return true;
  }

  static bool BothEnded(const Pair& pair) { return pair.flows[0].shut && pair.flows[1].shut; }

  void UpdateInterest(uint64_t id, Pair* pair) {
    for (int side = 0; side < 2; ++side) {
      const Flow& in = pair->flows[side];
      uint32_t interest = 0;
      if (!in.eof && in.Pending() < kMaxBuffered) interest |= EPOLLIN;
      if (pair->flows[1 - side].Pending() > 0) interest |= EPOLLOUT;
      if (interest == pair->interest[side]) continue;
      pair->interest[side] = interest;
      Control(EPOLL_CTL_MOD, pair->sockets[side], id << 1 | side, interest);
    }
  }

  void ClosePair(uint64_t id) {
    auto it = pairs_.find(id);
    if (it == pairs_.end()) return;
    CloseFds(it->second);  // Also removes them from the epoll set.
    pairs_.erase(it);
  }

  static void CloseFds(const Pair& pair) {
    close(pair.sockets[0]);
    close(pair.sockets[1]);
  }

  const ProxyContext& context_;
  int epoll_fd_ = -1;
  uint64_t next_id_ = kFirstPairId;
  std::unordered_map<uint64_t, Pair> pairs_;
};

}  // namespace

int RunEpollBackend(const ProxyContext& context) {
  EpollProxy proxy(context);
  return proxy.Run();
}
