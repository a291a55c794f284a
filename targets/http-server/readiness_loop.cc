#include "readiness_loop.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "connection.h"
#include "event_loop.h"
#include "stop_signal.h"

namespace {

struct ReadyConnection {
  ReadyConnection(int socket_fd, const ServerContext& context)
      : fd(socket_fd), http(*context.cache, *context.routes, *context.stop) {}

  int fd;
  HttpConnection http;
  uint32_t watched = kReadable;  // What the poller watches fd for.
};

class ReadinessLoop final : public EventLoop<ReadyConnection> {
 public:
  ReadinessLoop(const ServerContext& context, Poller& poller, ListenerMode listener_mode)
      : EventLoop(context), poller_(poller), listener_mode_(listener_mode) {}

 private:
  bool Start() override {
    const ServerContext& server = context();
    if (!poller_.Open() || !poller_.Add(server.listen_fd, kListenerKey, ListenerEvents()) ||
        !poller_.Add(server.stop->signal_fd(), kSignalKey, kReadable) ||
        !poller_.Add(server.stop->wake_fd(), kWakeKey, kReadable)) {
      std::fprintf(stderr, "http-server: %s: %s\n", poller_.name(), std::strerror(errno));
      return false;
    }
    return true;
  }

  uint32_t ListenerEvents() const {
    return listener_mode_ == ListenerMode::kAcceptOnceEdgeTriggered ? kReadable | kEdgeTriggered
                                                                    : kReadable;
  }

  bool WaitAndHandleEvents(int timeout_ms) override {
    ready_.clear();
    if (!poller_.Wait(timeout_ms, &ready_)) {
      std::fprintf(stderr, "http-server: %s: %s\n", poller_.name(), std::strerror(errno));
      return false;
    }
    for (const ReadyEvent& event : ready_) Dispatch(event);
    return true;
  }

  void Dispatch(const ReadyEvent& event) {
    if (event.key == kListenerKey) {
      if (!stopping() && !accept_paused_) AcceptReady();
    } else if (event.key == kSignalKey) {
      context().stop->OnSignalReadable();
    } else if (event.key >= kFirstConnectionKey) {
      OnConnectionReady(event);
    }  // kWakeKey: EventLoop notices the stop once this batch of events is handled.
  }

  // Accepts the queued connections: all of them, or only one with --bug accept-once.
  void AcceptReady() {
    for (;;) {
      int fd = accept4(context().listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0 && (errno == EINTR || errno == ECONNABORTED)) continue;
      if (fd < 0) return HandleAcceptError(errno);
      uint64_t key = AddConnection(fd);
      if (!poller_.Add(fd, key, kReadable)) RemoveConnection(key, *Find(key));
      // The bug: an edge-triggered listener is not reported again for the connections still
      // queued, so they wait for the next arrival, which again accepts only one.
      if (listener_mode_ == ListenerMode::kAcceptOnceEdgeTriggered) return;
    }
  }

  void PauseAccepting() override {
    poller_.Remove(context().listen_fd, kListenerKey);
    accept_paused_ = true;
  }

  void ResumeAccepting() override {
    accept_paused_ = false;
    poller_.Add(context().listen_fd, kListenerKey, ListenerEvents());
  }

  void StopAccepting() override {
    if (!accept_paused_) poller_.Remove(context().listen_fd, kListenerKey);
    poller_.Remove(context().stop->wake_fd(), kWakeKey);  // It stays readable from now on.
  }

  void OnConnectionReady(const ReadyEvent& event) {
    ReadyConnection* connection = Find(event.key);
    if (connection == nullptr) return;  // Closed earlier in this batch of events.
    if (event.failed || (event.readable && !connection->http.ReceiveFrom(connection->fd))) {
      return Close(event.key, *connection);
    }
    Advance(event.key, *connection);
  }

  // Answers what can be answered and sends what the socket takes, then closes the connection if
  // it is finished or updates what it is watched for.
  void Advance(uint64_t key, ReadyConnection& connection) override {
    HttpConnection& http = connection.http;
    do {
      if (auto delay = http.AnswerRequests(stopping())) DelayReply(key, *delay);
      if (!http.SendTo(connection.fd)) return Close(key, connection);
      // All output sent but requests left unanswered: no event would come to resume them.
    } while (http.AnswerBlockedByOutput() && http.PendingOutput() == 0);
    if (http.Finished()) return Close(key, connection);
    WatchFor(key, connection,
             (http.WantsInput() ? kReadable : 0) | (http.PendingOutput() > 0 ? kWritable : 0));
  }

  void WatchFor(uint64_t key, ReadyConnection& connection, uint32_t events) {
    if (events == connection.watched) return;
    connection.watched = events;
    poller_.Modify(connection.fd, key, events);
  }

  void Close(uint64_t key, ReadyConnection& connection) {
    poller_.Remove(connection.fd, key);
    RemoveConnection(key, connection);
  }

  Poller& poller_;
  const ListenerMode listener_mode_;
  bool accept_paused_ = false;
  std::vector<ReadyEvent> ready_;
};

}  // namespace

int RunReadinessLoop(const ServerContext& context, Poller& poller, ListenerMode listener_mode) {
  return ReadinessLoop(context, poller, listener_mode).Run();
}
