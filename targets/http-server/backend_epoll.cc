// The epoll backend: the readiness event loop (readiness_loop.h) waiting with epoll(7). See
// server.h for the contract.
//
// Everything is level-triggered, except the listening socket under --bug accept-once, which is
// registered with EPOLLET while the loop accepts only one connection per event (the reference
// bug of an event loop that stopped answering after a few browser reloads).
#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "readiness_loop.h"
#include "server.h"

namespace {

class EpollPoller final : public Poller {
 public:
  EpollPoller() = default;
  ~EpollPoller() override {
    if (epoll_fd_ >= 0) close(epoll_fd_);
  }
  EpollPoller(const EpollPoller&) = delete;
  EpollPoller& operator=(const EpollPoller&) = delete;

  bool Open() override {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    return epoll_fd_ >= 0;
  }
  bool Add(int fd, uint64_t key, uint32_t events) override {
    return Control(EPOLL_CTL_ADD, fd, key, events);
  }
  bool Modify(int fd, uint64_t key, uint32_t events) override {
    return Control(EPOLL_CTL_MOD, fd, key, events);
  }
  void Remove(int fd, uint64_t key) override { Control(EPOLL_CTL_DEL, fd, key, 0); }

  bool Wait(int timeout_ms, std::vector<ReadyEvent>* ready) override {
    int n = epoll_wait(epoll_fd_, events_.data(), static_cast<int>(events_.size()), timeout_ms);
    if (n < 0) return errno == EINTR;
    for (int i = 0; i < n; ++i) ready->push_back(ToReadyEvent(events_[i]));
    return true;
  }
  const char* name() const override { return "epoll"; }

 private:
  bool Control(int op, int fd, uint64_t key, uint32_t events) {
    epoll_event event{};
    event.events = (events & kReadable ? uint32_t{EPOLLIN} : 0) |
                   (events & kWritable ? uint32_t{EPOLLOUT} : 0) |
                   (events & kEdgeTriggered ? uint32_t{EPOLLET} : 0);
    event.data.u64 = key;
    return epoll_ctl(epoll_fd_, op, fd, &event) == 0;
  }

  static ReadyEvent ToReadyEvent(const epoll_event& event) {
    ReadyEvent ready;
    ready.key = event.data.u64;
    ready.readable = event.events & EPOLLIN;
    ready.writable = event.events & EPOLLOUT;
    ready.failed = event.events & (EPOLLERR | EPOLLHUP);
    return ready;
  }

  int epoll_fd_ = -1;
  std::vector<epoll_event> events_ = std::vector<epoll_event>(256);
};

}  // namespace

int RunEpollBackend(const ServerContext& context) {
  EpollPoller poller;
  return RunReadinessLoop(
      context, poller,
      context.accept_once ? ListenerMode::kAcceptOnceEdgeTriggered : ListenerMode::kDrain);
}
