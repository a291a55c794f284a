// The framed RPC protocol of targets/rpc-server (described in targets/README.md), shared by
// the server and by stampede's `rpc` workload. Depends on the C++ standard library only.
//
// A frame is a 12-byte header, all fields big-endian, then `length` payload bytes:
//   u32 length   payload bytes, at most kMaxPayload
//   u32 seq      chosen by the caller, unique among its calls in flight on the connection;
//                a reply carries the seq of the request it answers
//   u16 method   kEcho, kReverse or kUpper; a reply repeats its request's method
//   u16 flags    kFlagReply on replies; kFlagError too when the payload is an error message
// A reply's payload is Apply(method, request payload), so both its seq and its content can
// be checked against the request. Replies on a connection may come in any order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stampede::rpc {

constexpr std::size_t kHeaderBytes = 12;
constexpr std::uint32_t kMaxPayload = 1024 * 1024;

enum Method : std::uint16_t {
  kEcho = 1,     // the payload unchanged
  kReverse = 2,  // the payload's bytes in reverse order
  kUpper = 3,    // ASCII letters upper-cased
};

constexpr std::uint16_t kFlagReply = 0x1;
constexpr std::uint16_t kFlagError = 0x2;
constexpr std::uint16_t kKnownFlags = kFlagReply | kFlagError;

struct Frame {
  std::uint32_t seq = 0;
  std::uint16_t method = kEcho;
  std::uint16_t flags = 0;
  std::string payload;
};

// Appends `frame` encoded. The payload must be at most kMaxPayload bytes.
void AppendFrame(const Frame& frame, std::string& out);

enum class DecodeStatus {
  kIncomplete,  // `input` holds only the beginning of a frame: read more, call again
  kFrame,       // one frame decoded: frame and consumed are set
  kError,       // not this protocol (oversized length, unknown flag bits): error says why
};

struct DecodeResult {
  DecodeStatus status = DecodeStatus::kIncomplete;
  Frame frame;
  std::size_t consumed = 0;
  std::string error;
};

// Decodes the frame at the front of `input`. An oversized length is an error as soon as the
// header is complete, without waiting for the payload.
DecodeResult DecodeFrame(std::string_view input);

// The reply payload for `method` applied to `payload`; nullopt for an unknown method.
std::optional<std::string> Apply(std::uint16_t method, std::string_view payload);

}  // namespace stampede::rpc
