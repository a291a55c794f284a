#include "workloads/stop_load.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "core/clock.h"
#include "protocols/http_response.h"
#include "protocols/resp_reply.h"

namespace stampede {
namespace {

constexpr std::size_t kMaxAnswerBytes = 1 << 20;
constexpr int kStopCheckMs = 50;

std::string RespCommand(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string word; in >> word;) words.push_back(word);
  std::vector<std::string_view> args(words.begin(), words.end());
  std::string out;
  resp::AppendCommand(args, out);
  return out;
}

}  // namespace

struct StopLoad::Connection {
  Role role = Role::kIdle;
  int client = 0;
  int fd = -1;
  std::string f;
  std::string request;  // bytes to send; empty for a silent connection
  std::string input;
  bool waiting = false;  // a request was sent and is not complete yet
  std::int64_t sent_ns = 0;
};

StopLoad::StopLoad(const StopLoadSpec& spec, const TcpEndpoint& endpoint, int cycle)
    : spec_(spec), endpoint_(endpoint), cycle_(cycle) {
  auto add = [&](Role role, int count, const std::string& target) {
    for (int i = 0; i < count; ++i) {
      auto connection = std::make_unique<Connection>();
      connection->role = role;
      connection->client = static_cast<int>(connections_.size()) + 1;
      if (role == Role::kSilent) {
        connection->f = "connect";
      } else if (spec_.protocol == StopLoadProtocol::kHttp) {
        connection->f = "GET " + target;
        connection->request = http::GetRequest(target, endpoint_.display);
      } else {
        connection->f = target;
        connection->request = RespCommand(target);
      }
      connections_.push_back(std::move(connection));
    }
  };
  add(Role::kIdle, spec_.idle_connections, spec_.request);
  add(Role::kBusy, spec_.busy_connections, spec_.busy_request);
  add(Role::kSilent, spec_.silent_connections, "");
}

StopLoad::~StopLoad() {
  for (auto& connection : connections_) {
    if (connection->fd >= 0) close(connection->fd);
  }
}

bool StopLoad::Open(OpRecorder& recorder, const std::stop_token& stop) {
  for (auto& connection : connections_) {
    Connect(*connection, recorder);
    if (connection->fd >= 0 && connection->role != Role::kSilent) Send(*connection, recorder);
  }
  AwaitAnswers(Role::kIdle, recorder, stop);
  return !failed_;
}

bool StopLoad::FinishBusy(OpRecorder& recorder, const std::stop_token& stop) {
  AwaitAnswers(Role::kBusy, recorder, stop);
  return !failed_;
}

void StopLoad::Connect(Connection& connection, OpRecorder& recorder) {
  const auto* address = reinterpret_cast<const sockaddr*>(&endpoint_.address);
  int fd = socket(address->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int error = fd < 0 ? errno : 0;
  if (fd >= 0 && connect(fd, address, endpoint_.length) != 0) {
    error = errno;
    if (error == EINPROGRESS) {
      pollfd pfd{fd, POLLOUT, 0};
      error = poll(&pfd, 1, spec_.timeout_ms) == 1 ? 0 : ETIMEDOUT;
      socklen_t length = sizeof error;
      if (error == 0) getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
    }
  }
  if (error == 0) {
    connection.fd = fd;
    if (connection.role == Role::kSilent) {
      recorder.Record({OpType::kInvoke, 0, connection.client, connection.client - 1, cycle_,
                       connection.f, "", "", ""});
      recorder.Record({OpType::kOk, 0, connection.client, connection.client - 1, cycle_,
                       connection.f, "", "connected", ""});
    }
    return;
  }
  if (fd >= 0) close(fd);
  recorder.Record({OpType::kInvoke, 0, connection.client, connection.client - 1, cycle_,
                   connection.f, "", "", ""});
  Complete(connection, OpType::kFail, "", SocketErrorText("connect", error), recorder);
}

void StopLoad::Send(Connection& connection, OpRecorder& recorder) {
  recorder.Record({OpType::kInvoke, 0, connection.client, connection.client - 1, cycle_,
                   connection.f, "", "", ""});
  connection.waiting = true;
  connection.sent_ns = MonotonicNanos();
  std::size_t sent = 0;
  while (sent < connection.request.size()) {
    ssize_t n = send(connection.fd, connection.request.data() + sent,
                     connection.request.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    pollfd pfd{connection.fd, POLLOUT, 0};
    if (n < 0 && errno == EAGAIN && poll(&pfd, 1, spec_.timeout_ms) == 1) continue;
    Complete(connection, OpType::kFail, "",
             n < 0 && errno != EAGAIN ? SocketErrorText("send", errno) : "send: timed out",
             recorder);
    return;
  }
}

void StopLoad::AwaitAnswers(Role role, OpRecorder& recorder, const std::stop_token& stop) {
  const std::int64_t timeout_ns = std::int64_t{spec_.timeout_ms} * 1000000;
  for (;;) {
    std::vector<pollfd> polled;
    std::vector<Connection*> polled_connections;
    std::int64_t now = MonotonicNanos();
    std::int64_t next_deadline = now + std::int64_t{kStopCheckMs} * 1000000;
    for (auto& connection : connections_) {
      if (connection->role != role || !connection->waiting) continue;
      if (stop.stop_requested()) {
        Complete(*connection, OpType::kInfo, "", "stopped before completion", recorder);
        continue;
      }
      if (now - connection->sent_ns >= timeout_ns) {
        Unanswered(*connection, fmt::format("no answer within {} ms", spec_.timeout_ms), recorder);
        continue;
      }
      next_deadline = std::min(next_deadline, connection->sent_ns + timeout_ns);
      polled.push_back({connection->fd, POLLIN, 0});
      polled_connections.push_back(connection.get());
    }
    if (polled.empty()) return;
    int wait_ms = static_cast<int>((next_deadline - now + 999999) / 1000000);
    if (poll(polled.data(), polled.size(), wait_ms) <= 0) continue;
    for (std::size_t i = 0; i < polled.size(); ++i) {
      if (polled[i].revents != 0) ReadFrom(*polled_connections[i], recorder);
    }
  }
}

void StopLoad::ReadFrom(Connection& connection, OpRecorder& recorder) {
  char buffer[16384];
  for (;;) {
    ssize_t n = recv(connection.fd, buffer, sizeof buffer, 0);
    if (n > 0) {
      connection.input.append(buffer, static_cast<std::size_t>(n));
      if (JudgeAnswer(connection, false, recorder)) return;
      if (connection.input.size() > kMaxAnswerBytes) {
        Complete(connection, OpType::kFail, "", "protocol error: answer over 1 MiB", recorder);
        return;
      }
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n == 0 && !connection.input.empty() && JudgeAnswer(connection, true, recorder)) return;
    Unanswered(connection,
               n == 0 ? "connection closed before the answer" : SocketErrorText("recv", errno),
               recorder);
    return;
  }
}

bool StopLoad::JudgeAnswer(Connection& connection, bool at_eof, OpRecorder& recorder) {
  if (spec_.protocol == StopLoadProtocol::kHttp) {
    auto response = http::ParseResponse(connection.input, at_eof);
    if (response.status == http::ParseStatus::kIncomplete) return false;
    if (response.status == http::ParseStatus::kError) {
      Complete(connection, OpType::kFail, "", "protocol error: " + response.error, recorder);
    } else if (response.code >= 200 && response.code < 400) {
      Complete(connection, OpType::kOk, std::to_string(response.code), "", recorder);
    } else {
      Complete(connection, OpType::kFail, std::to_string(response.code),
               fmt::format("status {}", response.code), recorder);
    }
    return true;
  }
  auto reply = resp::ParseReply(connection.input);
  if (reply.status == resp::ParseStatus::kIncomplete) return false;
  if (reply.status == resp::ParseStatus::kError) {
    Complete(connection, OpType::kFail, "", "protocol error: " + reply.error, recorder);
  } else if (reply.reply.type == resp::ReplyType::kError) {
    Complete(connection, OpType::kFail, resp::Render(reply.reply), resp::Render(reply.reply),
             recorder);
  } else {
    Complete(connection, OpType::kOk, resp::Render(reply.reply), "", recorder);
  }
  return true;
}

void StopLoad::Complete(Connection& connection, OpType type, std::string got, std::string error,
                        OpRecorder& recorder) {
  recorder.Record({type, 0, connection.client, connection.client - 1, cycle_, connection.f, "",
                   std::move(got), std::move(error)});
  connection.waiting = false;
  if (type == OpType::kFail) failed_ = true;
}

void StopLoad::Unanswered(Connection& connection, const std::string& why, OpRecorder& recorder) {
  const bool may_drop = connection.role == Role::kBusy && !spec_.busy_must_answer;
  Complete(connection, may_drop ? OpType::kInfo : OpType::kFail, "", why, recorder);
}

}  // namespace stampede
