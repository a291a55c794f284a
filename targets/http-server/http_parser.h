// Parsing of HTTP/1.x requests (RFC 9112) from a connection's input buffer.
//
// The parser is a pure function of the bytes: it keeps no state between calls, so the backends
// can call it again whenever more bytes have arrived. Only what this server needs is extracted;
// bodies announced by Content-Length are skipped, chunked request bodies are refused (501).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace http {

// Largest accepted request-line-plus-headers section, including the terminating empty line.
inline constexpr size_t kMaxHeaderBytes = 64 * 1024;
// Largest accepted request body (bodies are read and discarded).
inline constexpr size_t kMaxBodyBytes = 1024 * 1024;

struct Request {
  std::string method;      // e.g. "GET"; case-sensitive, as RFC 9110 says.
  std::string target;      // origin-form ("/echo?seq=1"); absolute-form is reduced to it.
  int minor_version = 1;   // HTTP/1.<minor_version>; only 0 and 1 are accepted.
  bool keep_alive = true;  // Version default adjusted by the Connection header.
};

enum class ParseStatus {
  kIncomplete,  // Need more bytes; call again once they have arrived.
  kComplete,    // `request` is valid and `consumed` bytes (headers and body) belong to it.
  kError,       // Answer with `error_status`, then close the connection.
};

struct ParseResult {
  ParseStatus status = ParseStatus::kIncomplete;
  Request request;
  size_t consumed = 0;
  int error_status = 0;  // 400, 413, 431, 501 or 505.
  // kIncomplete: pass this back as `resume_at` on the next call with the same buffer (grown at
  // its end), so trickled input is not rescanned from the start each time.
  size_t resume_at = 0;
};

// Parses the request at the start of `buffer`. Leading empty lines are skipped (RFC 9112 2.2).
// A header section larger than kMaxHeaderBytes yields 431 as soon as that is known.
ParseResult ParseRequest(std::string_view buffer, size_t resume_at = 0);

}  // namespace http
