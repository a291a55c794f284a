#include "timeline/one_shot_request.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <regex>
#include <utility>

#include "core/clock.h"
#include "protocols/http_response.h"
#include "protocols/resp_reply.h"

namespace stampede {
namespace {

using std::chrono::milliseconds;

// A socket closed on scope exit.
class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) close(fd_);
  }
  Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  Socket& operator=(Socket&&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

int RemainingMs(MonoClock::time_point deadline) {
  auto left = std::chrono::duration_cast<milliseconds>(deadline - MonoClock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// Waits for `events` on `fd` until `deadline`; false on timeout.
bool WaitFor(int fd, short events, MonoClock::time_point deadline) {
  pollfd pfd{fd, events, 0};
  for (;;) {
    int ready = poll(&pfd, 1, RemainingMs(deadline));
    if (ready > 0) return true;
    if (ready == 0 || errno != EINTR) return false;
  }
}

// The whole reply at the front of `in`, if there is one. Sets `error` for garbage.
std::optional<std::string> WholeReply(const std::string& in, bool at_eof, SendProtocol protocol,
                                      const ReplyExpectation& expect, std::string& error) {
  switch (protocol) {
    case SendProtocol::kResp: {
      auto parsed = resp::ParseReply(in);
      if (parsed.status == resp::ParseStatus::kError) error = "protocol error: " + parsed.error;
      if (parsed.status != resp::ParseStatus::kReply) return std::nullopt;
      return resp::Render(parsed.reply);
    }
    case SendProtocol::kHttp: {
      auto parsed = http::ParseResponse(in, at_eof);
      if (parsed.status == http::ParseStatus::kError) error = "protocol error: " + parsed.error;
      if (parsed.status != http::ParseStatus::kResponse) return std::nullopt;
      return std::to_string(parsed.code) + " " + parsed.body;
    }
    case SendProtocol::kRaw:
      if (at_eof || (expect.kind != ReplyExpectation::Kind::kNone && !in.empty() &&
                     ReplyMatches(expect, in))) {
        return in;
      }
      return std::nullopt;
  }
  return std::nullopt;
}

std::string Errno(const char* what) {
  return SocketErrorText(what, errno);
}

bool SendAll(int fd, const std::string& bytes, MonoClock::time_point deadline, std::string& error) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!WaitFor(fd, POLLOUT, deadline)) {
        error = "could not send the request in time";
        return false;
      }
    } else {
      error = Errno("send");
      return false;
    }
  }
  return true;
}

Socket Connect(const TcpEndpoint& endpoint, MonoClock::time_point deadline, std::string& error) {
  Socket socket(
      ::socket(endpoint.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (socket.fd() < 0) {
    error = Errno("socket");
    return socket;
  }
  const auto* address = reinterpret_cast<const sockaddr*>(&endpoint.address);
  if (connect(socket.fd(), address, endpoint.length) == 0) return socket;
  if (errno != EINPROGRESS) {
    error = Errno("connect");
    return socket;
  }
  if (!WaitFor(socket.fd(), POLLOUT, deadline)) {
    error = "connect: timed out";
    return socket;
  }
  int so_error = 0;
  socklen_t length = sizeof so_error;
  getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &so_error, &length);
  if (so_error != 0) error = SocketErrorText("connect", so_error);
  return socket;
}

}  // namespace

std::string EncodeSendRequest(const SendSpec& send, const std::string& host) {
  switch (send.protocol) {
    case SendProtocol::kResp: {
      std::string out;
      std::vector<std::string_view> args(send.resp.begin(), send.resp.end());
      resp::AppendCommand(args, out);
      return out;
    }
    case SendProtocol::kHttp: {
      std::string out = send.method + " " + send.path + " HTTP/1.1\r\nHost: " + host +
                        "\r\nUser-Agent: stampede\r\nConnection: close\r\n";
      for (const auto& [name, value] : send.headers) out += name + ": " + value + "\r\n";
      if (!send.body.empty() || send.method == "POST" || send.method == "PUT") {
        out += "Content-Length: " + std::to_string(send.body.size()) + "\r\n";
      }
      return out + "\r\n" + send.body;
    }
    case SendProtocol::kRaw:
      return send.raw;
  }
  return {};
}

bool ReplyMatches(const ReplyExpectation& expect, const std::string& reply) {
  switch (expect.kind) {
    case ReplyExpectation::Kind::kNone:
    case ReplyExpectation::Kind::kAny:
      return true;
    case ReplyExpectation::Kind::kExact:
      return reply == expect.value;
    case ReplyExpectation::Kind::kRegex:
      return std::regex_search(reply, std::regex(expect.value));
  }
  return false;
}

OneShotReply ExchangeOnce(const TcpEndpoint& endpoint, const std::string& request,
                          SendProtocol protocol, const ReplyExpectation& expect,
                          milliseconds timeout) {
  const auto deadline = MonoClock::now() + timeout;
  OneShotReply reply;
  Socket socket = Connect(endpoint, deadline, reply.error);
  if (!reply.error.empty() || !SendAll(socket.fd(), request, deadline, reply.error)) return reply;
  std::string in;
  char buffer[16384];
  for (;;) {
    if (!WaitFor(socket.fd(), POLLIN, deadline)) {
      if (protocol == SendProtocol::kRaw && !in.empty()) {
        reply.text = in;  // raw: what came before the deadline is the reply
        return reply;
      }
      reply.error = "no reply within " + std::to_string(timeout.count()) + " ms";
      return reply;
    }
    ssize_t n = recv(socket.fd(), buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) {
      reply.error = Errno("recv");
      return reply;
    }
    const bool at_eof = n == 0;
    if (n > 0) in.append(buffer, static_cast<std::size_t>(n));
    if (in.size() > kMaxReplyBytes) in.resize(kMaxReplyBytes);
    if (auto whole =
            WholeReply(in, at_eof || in.size() >= kMaxReplyBytes, protocol, expect, reply.error)) {
      reply.text = std::move(*whole);
      return reply;
    }
    if (!reply.error.empty()) return reply;
    if (in.size() >= kMaxReplyBytes) {
      reply.error = "no whole reply within " + std::to_string(kMaxReplyBytes) + " bytes";
      return reply;
    }
    if (at_eof) {
      reply.error = "connection closed before a whole reply";
      return reply;
    }
  }
}

}  // namespace stampede
