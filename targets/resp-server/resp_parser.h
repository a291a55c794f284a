// RESP2 request parsing: turns the front of a connection's input buffer into one command.
//
// Two request forms are accepted, as Redis does:
//   - arrays of bulk strings: "*2\r\n$4\r\nPING\r\n$3\r\nabc\r\n";
//   - inline commands: "PING abc\r\n" (split on spaces and tabs; "\n" alone also ends a line).
// The parser is a pure function over a byte buffer: no I/O, no state between calls.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace resp {

// Limits beyond which a request is a protocol error (the connection is then closed).
constexpr size_t kMaxInlineBytes = 64 * 1024;
constexpr long long kMaxBulkBytes = 64 * 1024 * 1024;
constexpr long long kMaxArrayItems = 1024 * 1024;

enum class ParseStatus {
  kIncomplete,  // `input` holds the beginning of a request only; read more and call again.
  kCommand,     // One request parsed: args (possibly empty: skip it) and consumed are set.
  kError,       // Malformed request: error holds a short reason; the connection must close.
};

struct ParseResult {
  ParseStatus status = ParseStatus::kIncomplete;
  std::vector<std::string> args;  // Command name first; empty for an empty inline line or "*0".
  size_t consumed = 0;            // Bytes of `input` that the request occupied.
  std::string error;              // For kError, e.g. "invalid bulk length".
};

// Parses the request at the front of `input`.
ParseResult ParseRequest(std::string_view input);

}  // namespace resp
