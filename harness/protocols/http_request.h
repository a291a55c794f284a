// HTTP/1.x requests as a server reads them off a raw socket: an incremental parser over the
// front of a connection's input buffer. Pure functions over bytes, no state between calls;
// anything that is not an HTTP/1.x request is a parse error, never a crash or an unbounded wait.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace stampede::http {

constexpr std::size_t kMaxRequestHeadBytes = 64 * 1024;
constexpr std::int64_t kMaxRequestBodyBytes = 16 * 1024 * 1024;

enum class RequestStatus {
  kIncomplete,  // only the beginning of a request: read more, call again
  kRequest,     // one whole request: method, target, keep_alive and consumed are set
  kError,       // not an HTTP/1.x request: error says why
};

struct Request {
  RequestStatus status = RequestStatus::kIncomplete;
  std::string method;        // "GET"
  std::string target;        // "/echo?seq=3"
  int minor_version = 1;     // HTTP/1.<minor>
  bool keep_alive = true;    // HTTP/1.1 unless "Connection: close"; 1.0 only with keep-alive
  std::size_t consumed = 0;  // bytes of the input the request occupied, body included
  std::string error;         // kError, e.g. "request line is not METHOD TARGET HTTP/1.x"
};

// Parses the request at the front of `input`. A body is delimited by Content-Length; a chunked
// body is refused as an error (no client under test here sends one).
Request ParseRequest(std::string_view input);

// The value of query parameter `name` in a request target, or "" when absent.
std::string QueryParameter(std::string_view target, std::string_view name);

}  // namespace stampede::http
