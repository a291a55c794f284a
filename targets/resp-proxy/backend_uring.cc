// The io_uring backend. See proxy.h for the contract.
//
// Per pair and per direction (client->upstream, upstream->client) one operation is in flight: a
// receive into the direction's buffer, or a send of what it received (client->upstream: the bytes
// as they came; upstream->client: the replies they completed, see RelayReplies). Cycle: arm
// receive -> receive completes -> send (again for partial sends) -> send completes -> arm the
// receive of the SAME direction; a receive that completes no reply re-arms at once. ArmRecv()
// checks "at most one receive pending per direction" with a real assert, kept in NDEBUG builds,
// because --bug pending-recv breaks it on purpose (reference bug: "Assertion '!cd->pending_recv'
// failed"). Sockets are blocking (io_uring polls them itself). A pair is torn down by
// shutdown(SHUT_RDWR) of both sockets, which completes its pending operations; fds and buffers are
// released once none of its operations is in flight.
#undef NDEBUG
#include <liburing.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cassert>  // After the #undef: the assert below must survive -DNDEBUG.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "proxy.h"
#include "stop_signal.h"

namespace {

constexpr unsigned kRingEntries = 1024;
constexpr size_t kBufferSize = 16 * 1024;

// What a completion is for; stored in the low bits of its user_data next to a Pair pointer.
enum OpKind : uint64_t { kAccept = 0, kSignal = 1, kRecv = 2, kSend = 3, kIgnore = 4 };
constexpr uint64_t kKindMask = 7;
constexpr uint64_t kDirectionBit = 8;

// Bytes flowing from one socket of a pair to the other.
struct Direction {
  int from_fd = -1;
  int to_fd = -1;
  bool pending_recv = false;  // A receive on from_fd is armed.
  bool pending_send = false;  // A send to to_fd is armed.
  bool eof = false;           // from_fd has reached an orderly EOF; to_fd was half-closed.
  std::string out;            // Bytes for to_fd: what the last receive brought, ready to send.
  size_t sent = 0;            // Bytes of out already sent.
  char buffer[kBufferSize];   // Receives from from_fd.
};

// A client connection and its upstream connection. directions[0] is client->upstream,
// directions[1] is upstream->client.
struct alignas(16) Pair {
  int client_fd = -1;
  int upstream_fd = -1;
  Direction directions[2];
  ReplyDecoder replies;  // Decodes what directions[1] receives from the upstream.
  int in_flight = 0;     // Operations armed and not yet completed.
  bool closing = false;  // Both sockets were shut down; freed once in_flight reaches 0.
};

struct Completion {
  uint64_t user_data;
  int result;
};

class UringProxy {
 public:
  explicit UringProxy(const ProxyContext& context) : context_(context) {}
  ~UringProxy() {
    for (auto& [pair, owned] : pairs_) CloseFds(pair);
    if (ring_ready_) io_uring_queue_exit(&ring_);
    close(context_.listen_fd);
  }
  UringProxy(const UringProxy&) = delete;
  UringProxy& operator=(const UringProxy&) = delete;

  int Run() {
    int error = io_uring_queue_init(kRingEntries, &ring_, 0);
    if (error < 0) {
      std::fprintf(stderr, "resp-proxy: io_uring_queue_init: %s\n", std::strerror(-error));
      return 1;
    }
    ring_ready_ = true;
    SetNonBlocking(context_.listen_fd, false);
    ArmAccept();
    ArmSignal();
    std::vector<Completion> completions;
    while (!stopping_ || accept_armed_ || !pairs_.empty()) {
      int submitted = io_uring_submit_and_wait(&ring_, 1);
      if (submitted < 0 && submitted != -EINTR) {
        std::fprintf(stderr, "resp-proxy: io_uring_submit: %s\n", std::strerror(-submitted));
        return 1;
      }
      Reap(&completions);
      for (const Completion& completion : completions) Handle(completion);
    }
    return 0;
  }

 private:
  // Moves every available completion into *out (so handlers may freely queue new operations).
  void Reap(std::vector<Completion>* out) {
    out->clear();
    io_uring_cqe* cqe;
    unsigned head, count = 0;
    io_uring_for_each_cqe(&ring_, head, cqe) {
      out->push_back({cqe->user_data, cqe->res});
      ++count;
    }
    io_uring_cq_advance(&ring_, count);
  }

  // A submission queue entry; flushes the queue to the kernel first if it is full.
  io_uring_sqe* GetSqe() {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    while (sqe == nullptr) {
      io_uring_submit(&ring_);
      sqe = io_uring_get_sqe(&ring_);
    }
    return sqe;
  }

  static uint64_t Tag(Pair* pair, int direction, OpKind kind) {
    return reinterpret_cast<uint64_t>(pair) | (direction ? kDirectionBit : 0) | kind;
  }

  void Handle(const Completion& completion) {
    uint64_t kind = completion.user_data & kKindMask;
    auto* pair = reinterpret_cast<Pair*>(completion.user_data & ~(kKindMask | kDirectionBit));
    int direction = (completion.user_data & kDirectionBit) ? 1 : 0;
    if (kind == kAccept) {
      OnAccept(completion.result);
    } else if (kind == kSignal) {
      context_.stop->OnSignalReadable();
      BeginStop();
    } else if (kind == kRecv) {
      OnRecv(pair, direction, completion.result);
    } else if (kind == kSend) {
      OnSend(pair, direction, completion.result);
    }
  }

  void ArmAccept() {
    io_uring_sqe* sqe = GetSqe();
    io_uring_prep_accept(sqe, context_.listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(sqe, Tag(nullptr, 0, kAccept));
    accept_armed_ = true;
  }

  void ArmSignal() {
    io_uring_sqe* sqe = GetSqe();
    io_uring_prep_poll_add(sqe, context_.stop->signal_fd(), POLLIN);
    io_uring_sqe_set_data64(sqe, Tag(nullptr, 0, kSignal));
  }

  void OnAccept(int result) {
    accept_armed_ = false;
    if (result >= 0) {
      if (stopping_) {
        close(result);
      } else {
        StartPair(result);
      }
    } else if (result != -ECANCELED && result != -EINTR && result != -ECONNABORTED) {
      std::fprintf(stderr, "resp-proxy: accept: %s\n", std::strerror(-result));
    }
    if (!stopping_) ArmAccept();
  }

  // Connects the accepted client to the upstream server and arms a receive in both directions. A
  // client whose upstream server cannot be reached is closed at once.
  void StartPair(int client_fd) {
    std::string error;
    int upstream_fd = ConnectLoopback(context_.upstream, &error);
    if (upstream_fd < 0) {
      std::fprintf(stderr, "resp-proxy: upstream %s: %s\n", context_.upstream.display.c_str(),
                   error.c_str());
      close(client_fd);
      return;
    }
    SetNoDelay(client_fd);
    auto owned = std::make_unique<Pair>();
    Pair* pair = owned.get();
    pairs_.emplace(pair, std::move(owned));
    pair->client_fd = client_fd;
    pair->upstream_fd = upstream_fd;
    pair->directions[0].from_fd = pair->directions[1].to_fd = client_fd;
    pair->directions[0].to_fd = pair->directions[1].from_fd = upstream_fd;
    ArmRecv(pair, 0);
    ArmRecv(pair, 1);
  }

  // Arms the receive of one direction. Precondition: none is pending on it.
  void ArmRecv(Pair* pair, int direction) {
    Direction* cd = &pair->directions[direction];
    assert(!cd->pending_recv);
    cd->pending_recv = true;
    io_uring_sqe* sqe = GetSqe();
    io_uring_prep_recv(sqe, cd->from_fd, cd->buffer, sizeof cd->buffer, 0);
    io_uring_sqe_set_data64(sqe, Tag(pair, direction, kRecv));
    ++pair->in_flight;
  }

  // Arms the send of what remains of the direction's out bytes.
  void ArmSend(Pair* pair, int direction) {
    Direction* cd = &pair->directions[direction];
    cd->pending_send = true;
    io_uring_sqe* sqe = GetSqe();
    io_uring_prep_send(sqe, cd->to_fd, cd->out.data() + cd->sent, cd->out.size() - cd->sent,
                       MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, Tag(pair, direction, kSend));
    ++pair->in_flight;
  }

  void OnRecv(Pair* pair, int direction, int result) {
    Direction* cd = &pair->directions[direction];
    cd->pending_recv = false;
    --pair->in_flight;
    if (pair->closing) return MaybeFree(pair);
    if (result == -EINTR || result == -EAGAIN) return ArmRecv(pair, direction);
    if (result < 0) return ClosePair(pair);
    if (result == 0) return OnEof(pair, direction);
    if (!Relay(pair, direction, static_cast<size_t>(result))) return ClosePair(pair);
    if (cd->out.empty()) return ArmRecv(pair, direction);  // Only part of a reply so far.
    ArmSend(pair, direction);
    if (context_.bug == BugMode::kPendingRecv) {
      ArmRecv(pair, 1 - direction);  // The reference bug: the wrong direction is re-armed.
    }
  }

  // Turns the `length` bytes just received into the direction's out bytes; false if the pair must
  // close (the upstream sent something that is not RESP2).
  bool Relay(Pair* pair, int direction, size_t length) {
    Direction* cd = &pair->directions[direction];
    cd->sent = 0;
    if (direction == 0) {
      cd->out.assign(cd->buffer, length);
      return true;
    }
    return RelayReplies(context_, &pair->replies, std::string_view(cd->buffer, length), &cd->out);
  }

  void OnSend(Pair* pair, int direction, int result) {
    Direction* cd = &pair->directions[direction];
    cd->pending_send = false;
    --pair->in_flight;
    if (pair->closing) return MaybeFree(pair);
    if (result == -EINTR || result == -EAGAIN) return ArmSend(pair, direction);
    if (result <= 0) return ClosePair(pair);
    cd->sent += static_cast<size_t>(result);
    if (cd->sent < cd->out.size()) return ArmSend(pair, direction);  // Partial send.
    cd->out.clear();
    ArmRecv(pair, direction);
  }

  // Orderly EOF on the direction's source: half-close its destination; once both directions
  // have ended, the pair is closed.
  void OnEof(Pair* pair, int direction) {
    Direction* cd = &pair->directions[direction];
    cd->eof = true;
    shutdown(cd->to_fd, SHUT_WR);
    if (pair->directions[1 - direction].eof) ClosePair(pair);
  }

  void ClosePair(Pair* pair) {
    if (!pair->closing) {
      pair->closing = true;
      shutdown(pair->client_fd, SHUT_RDWR);  // Completes the pair's pending operations.
      shutdown(pair->upstream_fd, SHUT_RDWR);
    }
    MaybeFree(pair);
  }

  void MaybeFree(Pair* pair) {
    if (!pair->closing || pair->in_flight > 0) return;
    CloseFds(pair);
    pairs_.erase(pair);
  }

  static void CloseFds(Pair* pair) {
    close(pair->client_fd);
    close(pair->upstream_fd);
  }

  // Stops accepting (cancels the armed accept) and closes every pair.
  void BeginStop() {
    if (stopping_) return;
    stopping_ = true;
    if (accept_armed_) {
      io_uring_sqe* sqe = GetSqe();
      io_uring_prep_cancel64(sqe, Tag(nullptr, 0, kAccept), 0);
      io_uring_sqe_set_data64(sqe, Tag(nullptr, 0, kIgnore));
    }
    std::vector<Pair*> all;
    for (auto& [pair, owned] : pairs_) all.push_back(pair);
    for (Pair* pair : all) ClosePair(pair);
  }

  const ProxyContext& context_;
  io_uring ring_{};
  bool ring_ready_ = false;
  bool accept_armed_ = false;
  bool stopping_ = false;
  std::unordered_map<Pair*, std::unique_ptr<Pair>> pairs_;
};

}  // namespace

int RunUringBackend(const ProxyContext& context) {
  UringProxy proxy(context);
  return proxy.Run();
}
