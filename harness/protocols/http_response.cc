#include "protocols/http_response.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include "protocols/http_text.h"

namespace stampede::http {
namespace {

Response Error(std::string why) {
  Response response;
  response.status = ParseStatus::kError;
  response.error = std::move(why);
  return response;
}

// What the head says about the body.
struct Head {
  int code = 0;
  bool http10 = false;
  bool keep_alive = false;
  bool close = false;
  bool chunked = false;
  std::optional<std::int64_t> content_length;
  std::size_t size = 0;  // bytes up to and including the blank line
};

std::optional<std::string> ParseStatusLine(std::string_view line, Head& head) {
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || line[8] != ' ') {
    return fmt::format("status line does not start with \"HTTP/1.x NNN\": \"{}\"",
                       line.substr(0, 40));
  }
  head.http10 = line[7] == '0';
  auto digits = line.substr(9, 3);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + 3, head.code);
  if (ec != std::errc() || end != digits.data() + 3 || head.code < 100) {
    return fmt::format("bad status code \"{}\"", digits);
  }
  return std::nullopt;
}

std::optional<std::string> ParseHeader(std::string_view line, Head& head) {
  auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return fmt::format("header line without a name: \"{}\"", line.substr(0, 40));
  }
  auto name = Lower(line.substr(0, colon));
  auto value = Lower(Trim(line.substr(colon + 1)));
  if (name == "content-length") {
    std::int64_t length = -1;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (ec != std::errc() || end != value.data() + value.size() || length < 0 ||
        length > kMaxBodyBytes) {
      return fmt::format("bad Content-Length \"{}\"", value.substr(0, 40));
    }
    if (head.content_length && *head.content_length != length) {
      return std::string("two different Content-Length headers");
    }
    head.content_length = length;
  } else if (name == "transfer-encoding") {
    head.chunked = value.find("chunked") != std::string::npos;
  } else if (name == "connection") {
    head.close = value.find("close") != std::string::npos;
    head.keep_alive = value.find("keep-alive") != std::string::npos;
  }
  return std::nullopt;
}

// nullopt when the head is not complete yet.
std::optional<std::string> ParseHead(std::string_view input, Head& head, bool& complete) {
  complete = false;
  auto end = input.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    // The head and up to 3 bytes of its "\r\n\r\n" may be in without the end being found.
    if (input.size() > kMaxHeadBytes + 3) return std::string("response head over 64 KiB");
    if (input.size() >= 7 && input.substr(0, 7) != "HTTP/1.") {
      return fmt::format("status line does not start with \"HTTP/1.x NNN\": \"{}\"",
                         input.substr(0, std::min<std::size_t>(input.size(), 40)));
    }
    return std::nullopt;
  }
  // Refused whole as in pieces, however the reads split the head.
  if (end > kMaxHeadBytes) return std::string("response head over 64 KiB");
  head.size = end + 4;
  std::string_view rest = input.substr(0, end + 2);
  auto line_end = rest.find("\r\n");
  if (auto bad = ParseStatusLine(rest.substr(0, line_end), head)) return bad;
  rest.remove_prefix(line_end + 2);
  while (!rest.empty()) {
    line_end = rest.find("\r\n");
    if (auto bad = ParseHeader(rest.substr(0, line_end), head)) return bad;
    rest.remove_prefix(line_end + 2);
  }
  complete = true;
  return std::nullopt;
}

// Decodes the chunked body at the front of `input`; kIncomplete until the last chunk and
// the blank line after the (ignored) trailers are in.
Response DecodeChunked(std::string_view input) {
  Response response;
  std::size_t at = 0;
  for (;;) {
    auto line_end = input.find("\r\n", at);
    // Over the limit whole or in pieces (the line and its '\r' may be in without its end).
    if (line_end == std::string_view::npos) {
      return input.size() - at > kMaxHeadBytes + 1 ? Error("chunk size line over 64 KiB")
                                                   : response;
    }
    if (line_end - at > kMaxHeadBytes) return Error("chunk size line over 64 KiB");
    auto size_text = input.substr(at, line_end - at);
    size_text = size_text.substr(0, size_text.find(';'));
    std::int64_t size = -1;
    auto [end, ec] =
        std::from_chars(size_text.data(), size_text.data() + size_text.size(), size, 16);
    // The body so far is at most kMaxBodyBytes, so the subtraction cannot overflow (a sum
    // could, for sizes near 2^63).
    if (ec != std::errc() || end != size_text.data() + size_text.size() || size < 0 ||
        size > kMaxBodyBytes - static_cast<std::int64_t>(response.body.size())) {
      return Error(fmt::format("bad chunk size \"{}\"", size_text.substr(0, 20)));
    }
    at = line_end + 2;
    if (size == 0) break;
    if (input.size() < at + static_cast<std::size_t>(size) + 2) return response;
    response.body.append(input.substr(at, static_cast<std::size_t>(size)));
    if (input.substr(at + static_cast<std::size_t>(size), 2) != "\r\n") {
      return Error("chunk not followed by CRLF");
    }
    at += static_cast<std::size_t>(size) + 2;
  }
  for (;;) {  // trailers, up to the blank line
    auto line_end = input.find("\r\n", at);
    if (line_end == std::string_view::npos) {
      return input.size() - at > kMaxHeadBytes + 1 ? Error("trailers over 64 KiB") : Response{};
    }
    if (line_end - at > kMaxHeadBytes) return Error("trailers over 64 KiB");
    const bool blank = line_end == at;
    at = line_end + 2;
    if (blank) break;
  }
  response.status = ParseStatus::kResponse;
  response.consumed = at;
  return response;
}

}  // namespace

Response ParseResponse(std::string_view input, bool at_eof) {
  Head head;
  bool complete = false;
  if (auto bad = ParseHead(input, head, complete)) return Error(*bad);
  if (!complete) {
    return at_eof && !input.empty() ? Error("connection closed in the middle of the response head")
                                    : Response{};
  }
  auto body = input.substr(head.size);
  Response response;
  if (head.chunked) {
    response = DecodeChunked(body);
  } else if (head.content_length || head.code == 204 || head.code == 304 || head.code < 200) {
    auto length = static_cast<std::size_t>(head.content_length.value_or(0));
    if (body.size() < length) {
      return at_eof ? Error("connection closed in the middle of the response body") : Response{};
    }
    response.status = ParseStatus::kResponse;
    response.body = std::string(body.substr(0, length));
    response.consumed = length;
  } else {
    if (body.size() > kMaxBodyBytes) return Error("body over 64 MiB");  // at_eof or not
    if (!at_eof) return Response{};
    response.status = ParseStatus::kResponse;
    response.body = std::string(body);
    response.consumed = body.size();
  }
  if (response.status != ParseStatus::kResponse) {
    if (response.status == ParseStatus::kIncomplete && at_eof) {
      return Error("connection closed in the middle of a chunked body");
    }
    return response;
  }
  response.code = head.code;
  response.closes = head.close || (head.http10 && !head.keep_alive);
  response.consumed += head.size;
  return response;
}

std::string GetRequest(std::string_view target, std::string_view host) {
  return fmt::format("GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: stampede\r\n\r\n", target, host);
}

}  // namespace stampede::http
