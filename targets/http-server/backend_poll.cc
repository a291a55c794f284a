// The poll backend: the readiness event loop (readiness_loop.h) waiting with poll(2), which is
// level-triggered only, so --bug accept-once does not apply (the listener is always drained).
// The pollfd array is rebuilt from the watched descriptors before every wait. See server.h for
// the contract.
#include <poll.h>

#include <cerrno>
#include <map>
#include <vector>

#include "readiness_loop.h"
#include "server.h"

namespace {

class PollPoller final : public Poller {
 public:
  bool Add(int fd, uint64_t key, uint32_t events) override {
    watched_[key] = {fd, events};
    return true;
  }
  bool Modify(int fd, uint64_t key, uint32_t events) override { return Add(fd, key, events); }
  void Remove(int, uint64_t key) override { watched_.erase(key); }

  bool Wait(int timeout_ms, std::vector<ReadyEvent>* ready) override {
    fds_.clear();
    keys_.clear();
    for (const auto& [key, watched] : watched_) {
      fds_.push_back({watched.fd, ToPollEvents(watched.events), 0});
      keys_.push_back(key);
    }
    int n = poll(fds_.data(), fds_.size(), timeout_ms);
    if (n < 0) return errno == EINTR;
    for (size_t i = 0; i < fds_.size(); ++i) {
      if (fds_[i].revents != 0) ready->push_back(ToReadyEvent(keys_[i], fds_[i].revents));
    }
    return true;
  }
  const char* name() const override { return "poll"; }

 private:
  struct Watched {
    int fd;
    uint32_t events;
  };

  static short ToPollEvents(uint32_t events) {
    return static_cast<short>((events & kReadable ? POLLIN : 0) |
                              (events & kWritable ? POLLOUT : 0));
  }

  static ReadyEvent ToReadyEvent(uint64_t key, short revents) {
    ReadyEvent ready;
    ready.key = key;
    ready.readable = revents & POLLIN;
    ready.writable = revents & POLLOUT;
    ready.failed = revents & (POLLERR | POLLHUP | POLLNVAL);
    return ready;
  }

  std::map<uint64_t, Watched> watched_;  // By key.
  std::vector<pollfd> fds_;              // Rebuilt by every Wait(); fds_[i] is keys_[i].
  std::vector<uint64_t> keys_;
};

}  // namespace

int RunPollBackend(const ServerContext& context) {
  PollPoller poller;
  return RunReadinessLoop(context, poller, ListenerMode::kDrain);
}
