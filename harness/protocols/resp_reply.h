// RESP2 (Redis protocol) replies as a client reads them: an incremental parser over the front
// of a connection's input buffer, and the requests a client sends.
//
// Pure functions over bytes: no I/O, no state between calls. Replies may arrive split across
// reads (the parser then asks for more) and several per read (pipelining: call again on the
// rest); anything that is not RESP2 is a parse error, never a crash or an unbounded wait.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace stampede::resp {

// Limits beyond which a reply is treated as garbage.
constexpr std::size_t kMaxLineBytes = 64 * 1024;          // a header or simple-string line
constexpr std::int64_t kMaxBulkBytes = 64 * 1024 * 1024;  // one bulk string
constexpr std::int64_t kMaxArrayItems = 1024 * 1024;
constexpr int kMaxDepth = 16;  // arrays nested in arrays

enum class ReplyType { kSimple, kError, kInteger, kBulk, kNil, kArray };

struct Reply {
  ReplyType type = ReplyType::kNil;
  std::string text;             // simple, error (without '-'), integer digits, bulk bytes
  std::vector<Reply> elements;  // kArray
};

enum class ParseStatus {
  kIncomplete,  // the input holds only the beginning of a reply: read more, call again
  kReply,       // one reply parsed: reply and consumed are set
  kError,       // not RESP2: error says why; the connection cannot be trusted any more
};

struct ParseResult {
  ParseStatus status = ParseStatus::kIncomplete;
  Reply reply;
  std::size_t consumed = 0;  // bytes of the input the reply occupied
  std::string error;         // kError, e.g. "unexpected byte 0x48 ('H') where a reply starts"
};

// Parses the reply at the front of `input`.
ParseResult ParseReply(std::string_view input);

// The reply as one line a person can compare with what was expected: a bulk or simple string
// is its bytes, an error "-ERR ...", an integer ":12", nil "(nil)", an array "[a, b]".
std::string Render(const Reply& reply);

// A request as a RESP2 array of bulk strings, e.g. {"PING","x"} ->
// "*2\r\n$4\r\nPING\r\n$1\r\nx\r\n".
void AppendCommand(std::span<const std::string_view> args, std::string& out);
inline void AppendCommand(std::initializer_list<std::string_view> args, std::string& out) {
  AppendCommand(std::span(args.begin(), args.size()), out);
}

}  // namespace stampede::resp
