// HTTP/1.x responses as a client reads them off a raw socket: an incremental parser over the
// front of a connection's input buffer, and the GET request a client sends.
//
// Pure functions over bytes: no I/O, no state between calls. A response may arrive split
// across reads (the parser then asks for more); anything that is not HTTP/1.x is a parse
// error, never a crash or an unbounded wait.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace stampede::http {

constexpr std::size_t kMaxHeadBytes = 64 * 1024;          // status line and headers
constexpr std::int64_t kMaxBodyBytes = 64 * 1024 * 1024;  // one body

enum class ParseStatus {
  kIncomplete,  // only the beginning of a response: read more (or pass at_eof), call again
  kResponse,    // one whole response: status, body and consumed are set
  kError,       // not HTTP/1.x: error says why
};

struct Response {
  ParseStatus status = ParseStatus::kIncomplete;
  int code = 0;              // e.g. 200
  bool closes = false;       // "Connection: close", or HTTP/1.0 without keep-alive
  std::string body;          // decoded (chunked transfer coding removed)
  std::size_t consumed = 0;  // bytes of the input the response occupied
  std::string error;         // kError, e.g. "status line does not start with HTTP/1."
};

// Parses the response at the front of `input`, a reply to a GET. The body is delimited by
// Content-Length, the chunked coding, or (neither given) the end of the connection: pass
// `at_eof` once the peer has closed it.
Response ParseResponse(std::string_view input, bool at_eof);

// "GET <target> HTTP/1.1" with Host, User-Agent and keep-alive.
std::string GetRequest(std::string_view target, std::string_view host);

}  // namespace stampede::http
