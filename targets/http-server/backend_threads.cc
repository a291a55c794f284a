// The threads backend: an accept loop plus one thread per connection doing blocking I/O, which is
// what many naive servers do. See server.h for the contract.
//
// Stopping: the accept loop polls the listening socket together with the StopSignal fds. Once a
// stop is requested it closes the listening socket, then drains the connections in
// ConnectionTracker::WaitForAllConnectionsToClose(): it raises the drain signal (an eventfd),
// logs "wait for all connections to close" and waits until every connection thread has closed
// its socket and said so (ConnectionTracker::Closed()); then it joins the connection threads. A
// connection thread waits for input with poll() on its socket and the (never drained) drain fd,
// so an idle keep-alive connection closes as soon as the drain starts; a busy one finishes its
// current request (a /slow sleep included), answers it with "Connection: close" and exits.
// With --bug shutdown-race the tracker can miss the close of the last connection, and the stop
// then hangs forever in that wait (see connection_tracker.h).
//
// --bug drain-busy (Connection::WaitForInput and Connection::Stopping) reproduces a graceful stop
// that waits for keep-alive connections to go quiet instead of closing them: once the drain has
// started, a connection that has no input ready is not closed but given kQuietPeriodMs more; a
// request arriving within it is answered as if no stop were under way (keep-alive, no
// "Connection: close"), and the quiet period starts over. A connection is closed only after
// kQuietPeriodMs without a request, so a client that sends a request more often than that on its
// keep-alive connection holds the stop (the wait for all connections to close) forever, while
// idle connections, and clients that stop sending, let it finish.
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <list>
#include <memory>
#include <string>
#include <system_error>
#include <thread>

#include "connection_tracker.h"
#include "http_parser.h"
#include "net.h"
#include "route_cache.h"
#include "routes.h"
#include "server.h"
#include "stop_signal.h"

namespace {

// A client that stops reading cannot hold a connection thread (and so a graceful stop) forever.
constexpr int kSendTimeoutSeconds = 30;
constexpr size_t kReadChunk = 16 * 1024;
// --bug drain-busy: a draining connection is closed once it has had no request for this long.
constexpr int kQuietPeriodMs = 300;

// "Close once idle", from the accept loop to every connection thread: an eventfd written once
// and never drained, so it stays readable for every poll() from then on.
class DrainSignal {
 public:
  DrainSignal() = default;
  ~DrainSignal() {
    if (fd_ >= 0) close(fd_);
  }
  DrainSignal(const DrainSignal&) = delete;
  DrainSignal& operator=(const DrainSignal&) = delete;

  bool Open() {
    fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    return fd_ >= 0;
  }
  // Called once per stop, so the counter cannot reach its limit and the write cannot fail.
  void Raise() {
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(fd_, &one, sizeof one);
  }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

// One connection thread. Only the accept loop touches the list of workers; `done` is the one
// field the connection thread writes.
struct Worker {
  std::thread thread;
  std::atomic<bool> done{false};
};

// Serves one connection on the calling thread until it is closed. Owns (and closes) `fd`.
class Connection {
 public:
  Connection(int fd, const ServerContext& context, const DrainSignal& drain)
      : fd_(fd), context_(context), drain_(drain) {}
  ~Connection() {
    DiscardPendingInput(fd_);
    close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Serve() {
    while (ServeOne()) {
    }
  }

 private:
  // Reads, answers and sends one request. Returns whether the connection stays open.
  bool ServeOne() {
    http::ParseResult parsed = http::ParseRequest(in_, resume_at_);
    while (parsed.status == http::ParseStatus::kIncomplete) {
      resume_at_ = parsed.resume_at;
      if (!ReceiveMore()) return false;
      parsed = http::ParseRequest(in_, resume_at_);
    }
    if (parsed.status == http::ParseStatus::kError) {
      SendAll(fd_, SerializeReply(ErrorReply(parsed.error_status), true));
      return false;
    }
    in_.erase(0, parsed.consumed);
    resume_at_ = 0;
    Reply reply = PrepareReply(parsed.request, *context_.cache, *context_.routes);
    if (reply.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(reply.delay_ms));
    bool stopping = Stopping();
    bool sent = SendAll(fd_, SerializeReply(reply, stopping));
    if (sent) CountResponse(reply);
    if (reply.stop_server) context_.stop->RequestStop();
    return sent && !ClosesConnection(reply, stopping);
  }

  // Blocks until more input has been appended to in_. Returns false on end of input, on error,
  // or when the server is draining and no input is ready (an idle connection is closed then).
  bool ReceiveMore() {
    if (!WaitForInput()) return false;
    char chunk[kReadChunk];
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0) return errno == EINTR;
    if (n == 0) return false;
    in_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  // Whether the reply being sent must close the connection because the server is stopping.
  // The bug (--bug drain-busy): never, so a draining connection is served as usual.
  bool Stopping() const { return context_.stop->stop_requested() && !context_.drain_busy; }

  // Blocks until the socket has input (or its end, or an error). Returns false if the
  // connection must close without reading: the drain has started and no input is ready (an idle
  // connection closes at once), or, with --bug drain-busy, no request has come for
  // kQuietPeriodMs since the drain started or since the last request.
  bool WaitForInput() {
    for (;;) {
      bool waiting_for_quiet = context_.drain_busy && draining_;
      pollfd fds[2] = {{fd_, POLLIN, 0}, {drain_.fd(), POLLIN, 0}};
      int ready = poll(fds, waiting_for_quiet ? 1 : 2, waiting_for_quiet ? kQuietPeriodMs : -1);
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0) return false;
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) return true;
      if (waiting_for_quiet || !context_.drain_busy) return false;  // Quiet, or idle: close.
      draining_ = true;  // The bug: an idle connection is kept open until it goes quiet.
    }
  }

  const int fd_;
  const ServerContext& context_;
  const DrainSignal& drain_;
  bool draining_ = false;  // --bug drain-busy: the drain started; waiting for quiet.
  std::string in_;
  size_t resume_at_ = 0;
};

class ThreadsServer {
 public:
  explicit ThreadsServer(const ServerContext& context) : context_(context) {}

  int Run() {
    if (!drain_.Open()) {
      std::perror("http-server: eventfd");
      close(context_.listen_fd);
      return 1;
    }
    int status = AcceptUntilStopped();
    close(context_.listen_fd);
    context_.connections->WaitForAllConnectionsToClose([this] { drain_.Raise(); });
    for (auto& worker : workers_) worker->thread.join();
    workers_.clear();
    return status;
  }

 private:
  // Returns 0 once a stop has been requested, 1 on a fatal error.
  int AcceptUntilStopped() {
    while (!context_.stop->stop_requested()) {
      ReapFinishedWorkers();
      bool full = Full();
      pollfd fds[3] = {{context_.stop->signal_fd(), POLLIN, 0},
                       {context_.stop->wake_fd(), POLLIN, 0},
                       {full ? -1 : context_.listen_fd, POLLIN, 0}};
      // While full, wake up now and then to reap finished workers.
      int ready = poll(fds, 3, full ? 10 : -1);
      if (ready < 0 && errno != EINTR) {
        std::perror("http-server: poll");
        return 1;
      }
      if (fds[0].revents & POLLIN) context_.stop->OnSignalReadable();
      if (fds[2].revents & POLLIN) AcceptReady();
    }
    return 0;
  }

  // Whether --workers connection threads are running, so no connection may be accepted now.
  bool Full() const {
    return context_.max_connection_threads > 0 &&
           static_cast<int>(workers_.size()) >= context_.max_connection_threads;
  }

  // Accepts pending connections (the listening socket is non-blocking) while there is room.
  void AcceptReady() {
    while (!context_.stop->stop_requested() && !Full()) {
      int fd = accept4(context_.listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED) {
          std::fprintf(stderr, "http-server: accept: %s\n", std::strerror(errno));
        }
        return;
      }
      timeval timeout{kSendTimeoutSeconds, 0};
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
      StartWorker(fd);
    }
  }

  void StartWorker(int fd) {
    auto worker = std::make_unique<Worker>();
    std::atomic<bool>* done = &worker->done;
    const ServerContext* context = &context_;
    const DrainSignal* drain = &drain_;
    context_.connections->Opened();
    try {
      worker->thread = std::thread([fd, done, context, drain] {
        Connection(fd, *context, *drain).Serve();  // Closes fd on the way out.
        context->connections->Closed();
        done->store(true, std::memory_order_release);
      });
    } catch (const std::system_error& error) {  // Out of threads: refuse this connection.
      std::fprintf(stderr, "http-server: cannot start a connection thread: %s\n", error.what());
      close(fd);
      context_.connections->Closed();
      return;
    }
    workers_.push_back(std::move(worker));
  }

  void ReapFinishedWorkers() {
    for (auto it = workers_.begin(); it != workers_.end();) {
      if (!(*it)->done.load(std::memory_order_acquire)) {
        ++it;
        continue;
      }
      (*it)->thread.join();
      it = workers_.erase(it);
    }
  }

  const ServerContext& context_;
  DrainSignal drain_;  // Read by the connection threads; outlives them (joined in Run()).
  std::list<std::unique_ptr<Worker>> workers_;
};

}  // namespace

int RunThreadsBackend(const ServerContext& context) {
  return ThreadsServer(context).Run();
}
