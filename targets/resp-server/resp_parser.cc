#include "resp_parser.h"

#include <charconv>
#include <optional>

namespace resp {
namespace {

// Reads a "<prefix><integer>\r\n" header at input[*pos]. Returns nullopt for incomplete input;
// sets *error (and returns 0) when the line is malformed.
std::optional<long long> ReadLength(std::string_view input, size_t* pos, std::string* error) {
  size_t end = input.find("\r\n", *pos);
  if (end == std::string_view::npos) {
    if (input.size() - *pos > kMaxInlineBytes) *error = "too big length line";
    return error->empty() ? std::nullopt : std::optional<long long>(0);
  }
  long long value = 0;
  const char* first = input.data() + *pos + 1;  // Skip the '*' or '$'.
  const char* last = input.data() + end;
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last || first == last) {
    *error = "invalid length";
    return 0;
  }
  *pos = end + 2;
  return value;
}

// Parses one "$len\r\n<data>\r\n" bulk string at input[*pos] into *out.
ParseStatus ReadBulk(std::string_view input, size_t* pos, std::string* out, std::string* error) {
  if (*pos >= input.size()) return ParseStatus::kIncomplete;
  if (input[*pos] != '$') {
    *error = std::string("expected '$', got '") + input[*pos] + "'";
    return ParseStatus::kError;
  }
  size_t at = *pos;
  std::optional<long long> length = ReadLength(input, &at, error);
  if (!error->empty()) return ParseStatus::kError;
  if (!length) return ParseStatus::kIncomplete;
  if (*length < 0 || *length > kMaxBulkBytes) {
    *error = "invalid bulk length";
    return ParseStatus::kError;
  }
  size_t size = static_cast<size_t>(*length);
  if (input.size() - at < size + 2) return ParseStatus::kIncomplete;
  if (input.substr(at + size, 2) != "\r\n") {
    *error = "bulk string not terminated by CRLF";
    return ParseStatus::kError;
  }
  out->assign(input.substr(at, size));
  *pos = at + size + 2;
  return ParseStatus::kCommand;
}

ParseResult ParseArray(std::string_view input) {
  ParseResult result;
  size_t pos = 0;
  std::optional<long long> count = ReadLength(input, &pos, &result.error);
  if (!result.error.empty() || (count && *count > kMaxArrayItems)) {
    result.status = ParseStatus::kError;
    if (result.error.empty()) result.error = "invalid multibulk length";
    return result;
  }
  if (!count) return result;
  for (long long i = 0; i < *count; ++i) {
    std::string arg;
    ParseStatus status = ReadBulk(input, &pos, &arg, &result.error);
    if (status != ParseStatus::kCommand) {
      result.status = status;
      result.args.clear();
      return result;
    }
    result.args.push_back(std::move(arg));
  }
  result.status = ParseStatus::kCommand;
  result.consumed = pos;
  return result;
}

ParseResult ParseInline(std::string_view input) {
  ParseResult result;
  size_t end = input.find('\n');
  if (end == std::string_view::npos) {
    if (input.size() > kMaxInlineBytes) {
      result.status = ParseStatus::kError;
      result.error = "too big inline request";
    }
    return result;
  }
  std::string_view line = input.substr(0, end);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  size_t pos = 0;
  while (pos < line.size()) {
    size_t start = line.find_first_not_of(" \t", pos);
    if (start == std::string_view::npos) break;
    size_t stop = line.find_first_of(" \t", start);
    if (stop == std::string_view::npos) stop = line.size();
    result.args.emplace_back(line.substr(start, stop - start));
    pos = stop;
  }
  result.status = ParseStatus::kCommand;
  result.consumed = end + 1;
  return result;
}

}  // namespace

ParseResult ParseRequest(std::string_view input) {
  if (input.empty()) return ParseResult{};
  return input[0] == '*' ? ParseArray(input) : ParseInline(input);
}

}  // namespace resp
