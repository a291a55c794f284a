#include "protocols/resp_reply.h"

#include <fmt/format.h>

#include <charconv>

namespace stampede::resp {
namespace {

// Reads the CRLF-terminated line at `pos`. Returns false and sets `result` when the line is
// not complete yet (kIncomplete) or too long (kError).
bool ReadLine(std::string_view input, std::size_t pos, std::string_view& line, std::size_t& next,
              ParseResult& result) {
  std::size_t end = input.find("\r\n", pos);
  if (end == std::string_view::npos) {
    // A line of the maximum length and its '\r' may be in without the line end being found.
    if (input.size() - pos > kMaxLineBytes + 1) {
      result.status = ParseStatus::kError;
      result.error = fmt::format("no line end within {} bytes", kMaxLineBytes);
    } else {
      result.status = ParseStatus::kIncomplete;
    }
    return false;
  }
  if (end - pos > kMaxLineBytes) {
    result.status = ParseStatus::kError;
    result.error = fmt::format("line longer than {} bytes", kMaxLineBytes);
    return false;
  }
  line = input.substr(pos, end - pos);
  next = end + 2;
  return true;
}

bool ParseInteger(std::string_view digits, std::int64_t& value) {
  if (digits.empty()) return false;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return ec == std::errc() && ptr == digits.data() + digits.size();
}

std::string DescribeByte(char c) {
  auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7f) return fmt::format("0x{:02x} ('{}')", byte, c);
  return fmt::format("0x{:02x}", byte);
}

// Parses one reply starting at `pos`; on kReply sets `pos` past it.
void ParseAt(std::string_view input, std::size_t& pos, int depth, Reply& reply,
             ParseResult& result) {
  if (pos >= input.size()) {
    result.status = ParseStatus::kIncomplete;
    return;
  }
  const char kind = input[pos];
  std::string_view line;
  std::size_t next = 0;
  if (kind != '+' && kind != '-' && kind != ':' && kind != '$' && kind != '*') {
    result.status = ParseStatus::kError;
    result.error = "unexpected byte " + DescribeByte(kind) + " where a reply starts";
    return;
  }
  if (!ReadLine(input, pos + 1, line, next, result)) return;
  if (kind == '+' || kind == '-') {
    reply.type = kind == '+' ? ReplyType::kSimple : ReplyType::kError;
    reply.text = std::string(line);
    pos = next;
    result.status = ParseStatus::kReply;
    return;
  }
  std::int64_t number = 0;
  if (!ParseInteger(line, number)) {
    result.status = ParseStatus::kError;
    result.error = fmt::format("invalid number \"{}\" after '{}'",
                               line.substr(0, std::min<std::size_t>(line.size(), 32)), kind);
    return;
  }
  if (kind == ':') {
    reply.type = ReplyType::kInteger;
    reply.text = std::string(line);
    pos = next;
    result.status = ParseStatus::kReply;
    return;
  }
  if (number == -1) {  // nil bulk string or nil array
    reply.type = ReplyType::kNil;
    pos = next;
    result.status = ParseStatus::kReply;
    return;
  }
  if (kind == '$') {
    if (number < 0 || number > kMaxBulkBytes) {
      result.status = ParseStatus::kError;
      result.error = fmt::format("bulk length {} out of range", number);
      return;
    }
    const auto length = static_cast<std::size_t>(number);
    if (input.size() - next < length + 2) {
      result.status = ParseStatus::kIncomplete;
      return;
    }
    if (input.substr(next + length, 2) != "\r\n") {
      result.status = ParseStatus::kError;
      result.error = fmt::format("bulk string of {} bytes not followed by CRLF", length);
      return;
    }
    reply.type = ReplyType::kBulk;
    reply.text = std::string(input.substr(next, length));
    pos = next + length + 2;
    result.status = ParseStatus::kReply;
    return;
  }
  if (number < 0 || number > kMaxArrayItems) {
    result.status = ParseStatus::kError;
    result.error = fmt::format("array length {} out of range", number);
    return;
  }
  if (depth >= kMaxDepth) {
    result.status = ParseStatus::kError;
    result.error = fmt::format("arrays nested deeper than {}", kMaxDepth);
    return;
  }
  reply.type = ReplyType::kArray;
  std::size_t cursor = next;
  for (std::int64_t i = 0; i < number; ++i) {
    Reply element;
    ParseAt(input, cursor, depth + 1, element, result);
    if (result.status != ParseStatus::kReply) return;
    reply.elements.push_back(std::move(element));
  }
  pos = cursor;
  result.status = ParseStatus::kReply;
}

}  // namespace

ParseResult ParseReply(std::string_view input) {
  ParseResult result;
  std::size_t pos = 0;
  ParseAt(input, pos, 0, result.reply, result);
  if (result.status == ParseStatus::kReply) {
    result.consumed = pos;
  } else {
    result.reply = Reply{};
  }
  return result;
}

std::string Render(const Reply& reply) {
  switch (reply.type) {
    case ReplyType::kSimple:
    case ReplyType::kBulk:
      return reply.text;
    case ReplyType::kError:
      return "-" + reply.text;
    case ReplyType::kInteger:
      return ":" + reply.text;
    case ReplyType::kNil:
      return "(nil)";
    case ReplyType::kArray: {
      std::string out = "[";
      for (std::size_t i = 0; i < reply.elements.size(); ++i) {
        if (i > 0) out += ", ";
        out += Render(reply.elements[i]);
      }
      return out + "]";
    }
  }
  return {};
}

namespace {

// Appends `marker`, `number` in decimal, CRLF.
void AppendHeader(char marker, std::size_t number, std::string& out) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  out += marker;
  out.append(digits, end);
  out.append("\r\n");
}

}  // namespace

void AppendCommand(std::span<const std::string_view> args, std::string& out) {
  AppendHeader('*', args.size(), out);
  for (std::string_view arg : args) {
    AppendHeader('$', arg.size(), out);
    out.append(arg);
    out.append("\r\n");
  }
}

}  // namespace stampede::resp
