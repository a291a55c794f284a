// The uring backend: one thread, io_uring (liburing), completion-based. See server.h for the
// contract.
//
// One accept is kept armed on the listening socket and re-armed as soon as it completes, so
// every queued connection is accepted (--bug accept-once does not apply). Per connection at
// most one receive and one send are in flight: a receive is armed while the connection wants
// input (HttpConnection::WantsInput), a send of HttpConnection::UnsentOutput() while output is
// pending; the bytes a send points at stay put until it completes. Timers (/slow, the accept
// pause) are the wait's timeout. A connection to close has its operations cancelled first; its
// socket is closed once none is in flight. Sockets are blocking: io_uring waits for them itself.
#include <liburing.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "connection.h"
#include "event_loop.h"
#include "net.h"
#include "server.h"
#include "stop_signal.h"

namespace {

constexpr unsigned kRingEntries = 256;
constexpr size_t kReceiveChunk = 16 * 1024;

// What a completion is for: user_data is (key << kOpBits) | Op.
enum Op : uint64_t { kAcceptOp, kSignalOp, kReceiveOp, kSendOp, kCancelOp };
constexpr int kOpBits = 3;

uint64_t Tag(uint64_t key, Op op) {
  return (key << kOpBits) | op;
}

struct UringConnection {
  UringConnection(int socket_fd, const ServerContext& context)
      : fd(socket_fd), http(*context.cache, *context.routes, *context.stop) {}

  int fd;
  HttpConnection http;
  bool receiving = false;  // A receive into `buffer` is in flight.
  bool sending = false;    // A send of http.UnsentOutput() is in flight.
  bool closing = false;    // No further I/O; closed once nothing is in flight.
  bool cancelled = false;  // The operations in flight have been asked to finish.
  std::array<char, kReceiveChunk> buffer{};
};

struct Completion {
  uint64_t user_data;
  int result;
};

class UringServer final : public EventLoop<UringConnection> {
 public:
  explicit UringServer(const ServerContext& context) : EventLoop(context) {}
  // After a graceful stop nothing but the accept's cancellation and the signal poll can be in
  // flight (no buffer of ours); after a fatal error the process exits right away.
  ~UringServer() override {
    if (ring_ready_) io_uring_queue_exit(&ring_);
  }

 private:
  bool Start() override {
    int error = io_uring_queue_init(kRingEntries, &ring_, 0);
    if (error < 0) {
      std::fprintf(stderr, "http-server: io_uring_queue_init: %s\n", std::strerror(-error));
      return false;
    }
    ring_ready_ = true;
    SetNonBlocking(context().listen_fd, false);  // Else an armed accept fails with EAGAIN.
    ArmAccept();
    io_uring_sqe* sqe = GetSqe();
    io_uring_prep_poll_add(sqe, context().stop->signal_fd(), POLLIN);
    io_uring_sqe_set_data64(sqe, Tag(kSignalKey, kSignalOp));
    return true;
  }

  bool WaitAndHandleEvents(int timeout_ms) override {
    __kernel_timespec timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000000LL};
    io_uring_cqe* cqe = nullptr;
    int result = io_uring_submit_and_wait_timeout(&ring_, &cqe, 1,
                                                  timeout_ms < 0 ? nullptr : &timeout, nullptr);
    if (result < 0 && result != -ETIME && result != -EINTR) {
      std::fprintf(stderr, "http-server: io_uring_submit_and_wait: %s\n", std::strerror(-result));
      return false;
    }
    Reap();
    for (const Completion& completion : completions_) Handle(completion);
    return true;
  }

  // Moves every available completion into completions_, so handlers may queue new operations.
  void Reap() {
    completions_.clear();
    io_uring_cqe* cqe;
    unsigned head, count = 0;
    io_uring_for_each_cqe(&ring_, head, cqe) {
      completions_.push_back({cqe->user_data, cqe->res});
      ++count;
    }
    io_uring_cq_advance(&ring_, count);
  }

  void Handle(const Completion& completion) {
    uint64_t key = completion.user_data >> kOpBits;
    switch (static_cast<Op>(completion.user_data & ((1u << kOpBits) - 1))) {
      case kAcceptOp:
        return OnAccepted(completion.result);
      case kSignalOp:
        return context().stop->OnSignalReadable();  // EventLoop then begins the stop.
      case kReceiveOp:
        return OnReceived(key, completion.result);
      case kSendOp:
        return OnSent(key, completion.result);
      case kCancelOp:
        return;
    }
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

  void ArmAccept() {
    io_uring_sqe* sqe = GetSqe();
    io_uring_prep_accept(sqe, context().listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(sqe, Tag(kListenerKey, kAcceptOp));
    accepting_ = true;
  }

  void OnAccepted(int result) {
    accepting_ = false;
    if (result >= 0 && stopping()) {
      close(result);  // Accepted while the stop cancelled the accept.
    } else if (result >= 0) {
      uint64_t key = AddConnection(result);
      Advance(key, *Find(key));
    } else {
      HandleAcceptError(-result);
    }
    if (!stopping() && !accept_paused_) ArmAccept();
  }

  void PauseAccepting() override { accept_paused_ = true; }

  void ResumeAccepting() override {
    accept_paused_ = false;
    if (!accepting_) ArmAccept();
  }

  void StopAccepting() override {
    if (!accepting_) return;
    io_uring_sqe* sqe = GetSqe();
    io_uring_prep_cancel64(sqe, Tag(kListenerKey, kAcceptOp), 0);
    io_uring_sqe_set_data64(sqe, Tag(kListenerKey, kCancelOp));
  }

  void OnReceived(uint64_t key, int result) {
    UringConnection& connection = *Find(key);  // Kept until nothing of it is in flight.
    connection.receiving = false;
    if (result > 0) {
      connection.http.AppendInput({connection.buffer.data(), static_cast<size_t>(result)});
    } else if (result == 0) {
      connection.http.EndOfInput();
    } else if (result != -EINTR && result != -EAGAIN) {
      connection.closing = true;
    }
    Advance(key, connection);
  }

  void OnSent(uint64_t key, int result) {
    UringConnection& connection = *Find(key);
    connection.sending = false;
    if (result > 0) {
      connection.http.OutputSent(static_cast<size_t>(result));
    } else if (result != -EINTR && result != -EAGAIN) {
      connection.closing = true;
    }
    Advance(key, connection);
  }

  // Answers what can be answered, arms the send and the receive the connection needs, and
  // closes it once it is finished or has failed.
  void Advance(uint64_t key, UringConnection& connection) override {
    HttpConnection& http = connection.http;
    if (!connection.closing) {
      if (auto delay = http.AnswerRequests(stopping())) DelayReply(key, *delay);
      if (!connection.sending) ArmSend(key, connection);
      if (!connection.receiving && http.WantsInput()) ArmReceive(key, connection);
      connection.closing = http.Finished();
    }
    if (connection.closing) Close(key, connection);
  }

  void ArmSend(uint64_t key, UringConnection& connection) {
    std::string_view unsent = connection.http.UnsentOutput();
    if (unsent.empty()) return;
    io_uring_sqe* sqe = GetSqe();
    io_uring_prep_send(sqe, connection.fd, unsent.data(), unsent.size(), MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, Tag(key, kSendOp));
    connection.sending = true;
  }

  void ArmReceive(uint64_t key, UringConnection& connection) {
    size_t room = std::min(connection.buffer.size(), connection.http.InputRoom());
    io_uring_sqe* sqe = GetSqe();
    io_uring_prep_recv(sqe, connection.fd, connection.buffer.data(), room, 0);
    io_uring_sqe_set_data64(sqe, Tag(key, kReceiveOp));
    connection.receiving = true;
  }

  // Cancels what is in flight (once), or closes the socket if nothing is.
  void Close(uint64_t key, UringConnection& connection) {
    if (!connection.receiving && !connection.sending) return RemoveConnection(key, connection);
    if (connection.cancelled) return;
    connection.cancelled = true;
    io_uring_sqe* sqe = GetSqe();
    io_uring_prep_cancel_fd(sqe, connection.fd, IORING_ASYNC_CANCEL_ALL);
    io_uring_sqe_set_data64(sqe, Tag(key, kCancelOp));
  }

  io_uring ring_{};
  bool ring_ready_ = false;
  bool accepting_ = false;  // An accept is in flight.
  bool accept_paused_ = false;
  std::vector<Completion> completions_;
};

}  // namespace

int RunUringBackend(const ServerContext& context) {
  return UringServer(context).Run();
}
