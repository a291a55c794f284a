// Many raw TCP client connections driven by one epoll loop on the calling thread (no thread
// per connection). The engine owns sockets and buffers; what is sent and how replies are
// judged belongs to one ClientSession per connection.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "history/event.h"

namespace stampede {

// One connection's protocol logic. Called only from the engine's thread.
// Contract: Produce records an invoke for every request it appends, and every invoke is
// completed exactly once, by Consume (a reply) or by Abandon (the connection ended).
class ClientSession {
 public:
  virtual ~ClientSession() = default;
  // Appends the requests that may be sent at monotonic time `now_ns` to `out`.
  virtual void Produce(std::int64_t now_ns, std::string& out) = 0;
  // Consumes whole replies at the front of `in` and returns how many bytes they took (0 when
  // `in` holds no whole reply yet). An error means `in` is not the protocol: the connection
  // is then abandoned with the error's message.
  virtual Result<std::size_t> Consume(std::string_view in) = 0;
  // The connection ended for reason `why`: completes every outstanding request as `type`.
  // With nothing outstanding and requests still to send, the next request is recorded as
  // invoked and completed as `type`, so an early end always shows in the history.
  virtual void Abandon(OpType type, const std::string& why) = 0;
  // Every request has been sent and answered.
  virtual bool Finished() const = 0;
  // Monotonic time from which Produce may add a request when pacing holds it back; 0 when
  // Produce is not waiting for time (not paced, or waiting for replies, or done).
  virtual std::int64_t NextSendNs() const = 0;
  // Invoke time (monotonic) of the oldest unanswered request.
  virtual std::optional<std::int64_t> OldestOutstandingNs() const = 0;
};

// A TCP endpoint, already resolved.
struct TcpEndpoint {
  sockaddr_storage address{};
  socklen_t length = 0;
  std::string display;  // "127.0.0.1:6379", for messages
};

// Why a socket call failed, for an operation's error: "connection reset by peer" for ECONNRESET
// and EPIPE (however the reset showed), else "<what>: <strerror>".
std::string SocketErrorText(const char* what, int error);

// Parses "HOST:PORT" or "[V6]:PORT" with a numeric address or "localhost" (127.0.0.1).
// Anything else (names needing DNS, a missing port) is an InvalidInput.
Result<TcpEndpoint> ParseTcpEndpoint(const std::string& text);

struct TcpEngineOptions {
  int reply_timeout_ms = 10000;  // an unanswered request older than this ends its connection
  // > 0: a connection the peer or the network ended (refused, reset, closed, a failed send or
  // recv) is opened again this many ms later, as long as its session has requests left.
  // Its outstanding requests are completed as usual (fail) first, so a refused connect
  // still records one failed request: a reconnecting load is bounded by its request count.
  int reconnect_delay_ms = 0;
};

// The delay of a load's `"reconnect": true`.
constexpr int kReconnectDelayMs = 50;

// The engine options of a load with reply timeout `timeout_ms` that reconnects or not.
inline TcpEngineOptions LoadEngineOptions(int timeout_ms, bool reconnect) {
  return {timeout_ms, reconnect ? kReconnectDelayMs : 0};
}

// Connects one socket per session to `endpoint` and drives them until every session is
// finished or its connection ended, or `stop` is requested (outstanding requests are then
// abandoned as info, "stopped before completion").
//
// Connection ends and how they are reported through ClientSession::Abandon:
//   connect failed            fail  "connect: <strerror>"
//   peer reset / send failed  fail  "connection reset by peer" (or "<op>: <strerror>")
//   peer closed (EOF)         fail  "connection closed by peer"
//   Consume error             fail  "protocol error: <message>"
//   reply timeout             info  "no reply within N ms"
// With reconnect_delay_ms, the first three open the connection again (see TcpEngineOptions).
void RunClientSessions(const TcpEndpoint& endpoint, const std::vector<ClientSession*>& sessions,
                       const TcpEngineOptions& options, const std::stop_token& stop);

}  // namespace stampede
