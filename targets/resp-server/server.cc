// The resp-server event loop. See server.h for the contract.
//
// Level-triggered epoll. The listener is drained with accept4() until EAGAIN. A connection is
// read while it has room for output; every complete request in its input buffer is executed in
// order, and the replies are written as far as the socket accepts them (EPOLLOUT for the rest).
//
// --bug cross-talk turns on two "optimisations", each harmless on its own. Replies are rendered
// into one process-wide buffer (SharedReplyBuffer(): no allocation per connection), which the
// first reply a connection renders after its last write resets as if it were its own. And the
// connections that had events are written at the end of the loop iteration (write batching),
// when each copies the shared buffer into its output. Together: every connection served in the
// same iteration is sent the replies of the last one that rendered. With strict ping-pong each
// request still gets exactly one well-formed reply, often another connection's, and no
// connection is left without an answer.
//
// Every connection is registered in a ClientRegistry (client_registry.h) when it is accepted
// and unregistered when it is closed, and its last command is recorded there. Admin commands
// (CLIENT LIST, INFO) are executed by an AdminThread (admin.h), which reads the registry: the
// connection executes nothing further until the admin reply comes back (completion_fd(), key
// kAdminKey), so replies stay in order. --bug stats-race makes CLIENT LIST walk the registry
// without its lock while this loop adds and retires entries.
#include "server.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "admin.h"
#include "client_registry.h"
#include "commands.h"
#include "net.h"
#include "resp_parser.h"
#include "stop_signal.h"

namespace {

using Clock = std::chrono::steady_clock;

// epoll_event.data.u64 keys; connections get unique, never reused keys from kFirstConnectionKey.
constexpr uint64_t kListenerKey = 0;
constexpr uint64_t kSignalKey = 1;
constexpr uint64_t kWakeKey = 2;
constexpr uint64_t kAdminKey = 3;
constexpr uint64_t kFirstConnectionKey = 16;

constexpr size_t kReadChunk = 256 * 1024;   // Most bytes read per readiness event.
constexpr size_t kMaxOutput = 1024 * 1024;  // Stop reading while this much output is unsent.
constexpr auto kStopFlushDeadline = std::chrono::seconds(2);

// The command as CLIENT LIST shows it: the name in lower case, "client|list" for a subcommand.
std::string Lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string CommandName(const std::vector<std::string>& args) {
  std::string name = Lowercase(args[0]);
  if (name == "client" && args.size() > 1) name += "|" + Lowercase(args[1]);
  return name;
}

// --bug cross-talk: the reply buffer shared by every connection (process-wide, never freed).
std::string& SharedReplyBuffer() {
  static auto* buffer = new std::string;
  return *buffer;
}

struct Connection {
  int fd = -1;
  std::string in;   // Unparsed input.
  std::string out;  // Output; bytes before out_offset have been sent.
  size_t out_offset = 0;
  bool input_eof = false;         // The peer has shut down its sending side.
  bool closing = false;           // No more requests: close once `out` has been sent.
  bool awaiting_admin = false;    // An admin command is with the AdminThread; execute nothing.
  ClientEntry* client = nullptr;  // Its entry in the ClientRegistry.
  uint32_t interest = 0;
  // --bug cross-talk: replies were rendered into SharedReplyBuffer() since the last write.
  bool rendered_shared = false;

  size_t PendingOutput() const { return out.size() - out_offset; }
};

class Server {
 public:
  Server(int listen_fd, StopSignal* stop, BugMode bug)
      : listen_fd_(listen_fd),
        stop_(stop),
        bug_(bug),
        registry_(bug == BugMode::kStatsRace ? ClientRegistry::WalkLocking::kUnlocked
                                             : ClientRegistry::WalkLocking::kLocked),
        admin_(&registry_) {}
  ~Server() {
    admin_.Stop();  // Before the registry it reads goes away.
    for (auto& [key, connection] : connections_) close(connection.fd);
    if (listen_fd_ >= 0) close(listen_fd_);
    if (epoll_fd_ >= 0) close(epoll_fd_);
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int Run() {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0 || !admin_.Start() ||
        !Control(EPOLL_CTL_ADD, admin_.completion_fd(), kAdminKey, EPOLLIN) ||
        !Control(EPOLL_CTL_ADD, listen_fd_, kListenerKey, EPOLLIN) ||
        !Control(EPOLL_CTL_ADD, stop_->signal_fd(), kSignalKey, EPOLLIN) ||
        !Control(EPOLL_CTL_ADD, stop_->wake_fd(), kWakeKey, EPOLLIN)) {
      std::perror("resp-server: epoll");
      return 1;
    }
    std::vector<epoll_event> events(256);
    while (!stopping_ || (!connections_.empty() && Clock::now() < stop_deadline_)) {
      int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()),
                         stopping_ ? 50 : -1);
      if (n < 0 && errno != EINTR) {
        std::perror("resp-server: epoll_wait");
        return 1;
      }
      for (int i = 0; i < n; ++i) Dispatch(events[i].data.u64, events[i].events);
      SettleDeferred();
    }
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
    } else if (key == kAdminKey) {
      OnAdminReplies();
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
        if (errno != EAGAIN && errno != EWOULDBLOCK) std::perror("resp-server: accept4");
        return;
      }
      uint64_t key = next_key_++;
      Connection& connection = connections_[key];
      connection.fd = fd;
      connection.interest = EPOLLIN;
      connection.client = registry_.Register(fd);
      if (!Control(EPOLL_CTL_ADD, fd, key, EPOLLIN)) CloseConnection(key);
    }
  }

  // Stop accepting and reading; connections flush their replies and close.
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
      connections_[key].closing = true;
      Settle(key, &connections_[key]);
    }
  }

  void OnConnectionEvent(uint64_t key, Connection* connection, uint32_t events) {
    bool readable = (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0;
    if (readable && !connection->closing && !connection->input_eof) {
      if (!ReadAvailable(connection->fd, connection->in.size() + kReadChunk, &connection->in,
                         &connection->input_eof)) {
        CloseConnection(key);
        return;
      }
    } else if ((events & EPOLLERR) && connection->PendingOutput() == 0) {
      CloseConnection(key);
      return;
    }
    // Also runs on EPOLLOUT: requests left waiting while the output was full go on now.
    ExecuteRequests(key, connection);
    if (bug_ == BugMode::kCrossTalk) {
      deferred_.push_back(key);  // Written at the end of the loop iteration.
      return;
    }
    Settle(key, connection);
  }

  // Appends the admin replies that came back to their connections' output (a connection closed
  // meanwhile drops its reply) and goes on with their next requests.
  void OnAdminReplies() {
    for (AdminThread::Reply& done : admin_.TakeReplies()) {
      auto it = connections_.find(done.key);
      if (it == connections_.end()) continue;
      Connection* connection = &it->second;
      ReplyBuffer(connection)->append(done.reply);
      connection->awaiting_admin = false;
      if (bug_ == BugMode::kCrossTalk) {
        deferred_.push_back(done.key);
      } else {
        Settle(done.key, connection);
      }
    }
  }

  // --bug cross-talk: settles the connections whose events this loop iteration handled.
  void SettleDeferred() {
    for (uint64_t key : deferred_) {
      auto it = connections_.find(key);
      if (it != connections_.end()) Settle(key, &it->second);
    }
    deferred_.clear();
  }

  // Executes the complete requests in the input buffer (while the output has room), appending
  // the replies in order. Once the peer has stopped sending and no complete request is left, the
  // connection is marked closing. An admin command is handed to admin_ and ends the batch: the
  // connection waits (awaiting_admin) until OnAdminReplies() has its reply.
  void ExecuteRequests(uint64_t key, Connection* connection) {
    size_t used = 0;
    while (!connection->closing && !connection->awaiting_admin &&
           Backlog(*connection) < kMaxOutput) {
      resp::ParseResult request = resp::ParseRequest(std::string_view(connection->in).substr(used));
      if (request.status == resp::ParseStatus::kIncomplete) {
        if (connection->input_eof) connection->closing = true;
        break;
      }
      if (request.status == resp::ParseStatus::kError) {
        resp::AppendProtocolError(request.error, ReplyBuffer(connection));
        connection->closing = true;
        break;
      }
      used += request.consumed;
      if (request.args.empty()) continue;
      registry_.SetLastCommand(connection->client, CommandName(request.args));
      if (resp::IsAdminCommand(request.args)) {
        admin_.Submit(key, std::move(request.args));
        connection->awaiting_admin = true;
        break;
      }
      if (resp::Execute(request.args, &store_, ReplyBuffer(connection)) == resp::After::kClose) {
        connection->closing = true;
      }
    }
    connection->in.erase(0, used);
  }

  // Where the next reply of `connection` goes: its own output buffer or, with --bug cross-talk,
  // the shared buffer, which the first reply since the connection's last write resets (dropping
  // whatever another connection rendered there and has not been written yet).
  std::string* ReplyBuffer(Connection* connection) {
    if (bug_ != BugMode::kCrossTalk) return &connection->out;
    std::string& shared = SharedReplyBuffer();
    if (!connection->rendered_shared) {
      shared.clear();
      connection->rendered_shared = true;
    }
    return &shared;
  }

  // --bug cross-talk: the connection's replies are copied from the shared buffer as it is now.
  void TakeSharedReplies(Connection* connection) {
    if (!connection->rendered_shared) return;
    connection->out.append(SharedReplyBuffer());
    connection->rendered_shared = false;
  }

  // Output not sent yet, including replies still waiting in the shared buffer.
  static size_t Backlog(const Connection& connection) {
    size_t backlog = connection.PendingOutput();
    if (connection.rendered_shared) backlog += SharedReplyBuffer().size();
    return backlog;
  }

  // Writes what it can, then closes the connection or updates its epoll interest.
  // Requests held back while the output was full are executed as soon as it drains.
  void Settle(uint64_t key, Connection* connection) {
    TakeSharedReplies(connection);
    while (true) {
      if (!WriteAvailable(connection->fd, &connection->out, &connection->out_offset)) {
        CloseConnection(key);
        return;
      }
      if (connection->closing || connection->PendingOutput() >= kMaxOutput) break;
      size_t before = connection->in.size();
      ExecuteRequests(key, connection);
      TakeSharedReplies(connection);
      if (connection->in.size() == before) break;
    }
    if (connection->closing && !connection->awaiting_admin && connection->PendingOutput() == 0) {
      shutdown(connection->fd, SHUT_WR);
      DiscardPendingInput(connection->fd);
      CloseConnection(key);
      return;
    }
    uint32_t interest = 0;
    if (!connection->closing && !connection->input_eof && !connection->awaiting_admin &&
        connection->PendingOutput() < kMaxOutput) {
      interest |= EPOLLIN;
    }
    if (connection->PendingOutput() > 0) interest |= EPOLLOUT;
    if (interest != connection->interest) {
      connection->interest = interest;
      Control(EPOLL_CTL_MOD, connection->fd, key, interest);
    }
  }

  void CloseConnection(uint64_t key) {
    auto it = connections_.find(key);
    if (it == connections_.end()) return;
    close(it->second.fd);  // Also removes it from the epoll set.
    registry_.Unregister(it->second.client);
    connections_.erase(it);
  }

  int listen_fd_;
  StopSignal* stop_;
  const BugMode bug_;
  int epoll_fd_ = -1;
  bool stopping_ = false;
  Clock::time_point stop_deadline_;
  uint64_t next_key_ = kFirstConnectionKey;
  std::unordered_map<uint64_t, Connection> connections_;
  std::vector<uint64_t> deferred_;  // --bug cross-talk: connections to settle after the events.
  resp::Store store_;
  ClientRegistry registry_;  // Read by admin_'s thread.
  AdminThread admin_;
};

}  // namespace

int RunServer(int listen_fd, StopSignal* stop, BugMode bug) {
  Server server(listen_fd, stop, bug);
  return server.Run();
}
