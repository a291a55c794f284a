// One request on a fresh TCP connection and the reply read back, for the `send` action.
// Blocking, bounded by a deadline; the peer's bytes are data, never trusted: garbage ends the
// exchange as a protocol error, a huge reply is cut at kMaxReplyBytes.
#pragma once

#include <chrono>
#include <string>

#include "core/status.h"
#include "timeline/action_spec.h"
#include "workloads/tcp_client_engine.h"

namespace stampede {

constexpr std::size_t kMaxReplyBytes = 1024 * 1024;

struct OneShotReply {
  std::string text;   // resp: resp::Render of the reply; http: "STATUS BODY"; raw: the bytes
  std::string error;  // set when no (whole) reply came: "connect: ...", "protocol error: ...",
                      // "no reply within N ms", "connection closed before a whole reply"
};

// The bytes `send` puts on the wire (RESP command, HTTP request with Content-Length, or raw).
std::string EncodeSendRequest(const SendSpec& send, const std::string& host);

// Whether `reply` satisfies `expect` (kNone and kAny: any reply).
bool ReplyMatches(const ReplyExpectation& expect, const std::string& reply);

// Connects to `endpoint`, sends `request` and reads until a whole reply of `protocol` has come
// (raw: until `expect` matches, the peer closes, or the deadline), at most `timeout`.
OneShotReply ExchangeOnce(const TcpEndpoint& endpoint, const std::string& request,
                          SendProtocol protocol, const ReplyExpectation& expect,
                          std::chrono::milliseconds timeout);

}  // namespace stampede
