// The threads backend: an accept loop plus one thread per connection doing blocking I/O, which is
// what many naive servers do. See server.h for the contract.
//
// Stopping: the accept loop polls the listening socket together with the StopSignal fds. Once a
// stop is requested it closes the listening socket and joins every connection thread. A
// connection thread waits for input with poll() on its socket and the (never drained) wake fd, so
// an idle connection notices the stop at once and closes; a busy one finishes its current
// request (a /slow sleep included), answers it with "Connection: close" and exits.
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <list>
#include <memory>
#include <string>
#include <system_error>
#include <thread>

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

// One connection thread. Only the accept loop touches the list of workers; `done` is the one
// field the connection thread writes.
struct Worker {
  std::thread thread;
  std::atomic<bool> done{false};
};

// Serves one connection on the calling thread until it is closed. Owns (and closes) `fd`.
class Connection {
 public:
  Connection(int fd, const ServerContext& context) : fd_(fd), context_(context) {}
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
    Reply reply = PrepareReply(parsed.request, *context_.cache);
    if (reply.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(reply.delay_ms));
    bool stopping = context_.stop->stop_requested();
    bool sent = SendAll(fd_, SerializeReply(reply, stopping));
    if (reply.stop_server) context_.stop->RequestStop();
    return sent && !ClosesConnection(reply, stopping);
  }

  // Blocks until more input has been appended to in_. Returns false on end of input, on error,
  // or when the server is stopping and no input is ready (an idle connection is closed then).
  bool ReceiveMore() {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {context_.stop->wake_fd(), POLLIN, 0}};
    int ready = poll(fds, 2, -1);
    if (ready < 0) return errno == EINTR;
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) == 0) return false;  // Stop requested.
    char chunk[kReadChunk];
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0) return errno == EINTR;
    if (n == 0) return false;
    in_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  const int fd_;
  const ServerContext& context_;
  std::string in_;
  size_t resume_at_ = 0;
};

class ThreadsServer {
 public:
  explicit ThreadsServer(const ServerContext& context) : context_(context) {}

  int Run() {
    int status = AcceptUntilStopped();
    close(context_.listen_fd);
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
    try {
      worker->thread = std::thread([fd, done, context] {
        Connection(fd, *context).Serve();
        done->store(true, std::memory_order_release);
      });
    } catch (const std::system_error& error) {  // Out of threads: refuse this connection.
      std::fprintf(stderr, "http-server: cannot start a connection thread: %s\n", error.what());
      close(fd);
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
  std::list<std::unique_ptr<Worker>> workers_;
};

}  // namespace

int RunThreadsBackend(const ServerContext& context) {
  return ThreadsServer(context).Run();
}
