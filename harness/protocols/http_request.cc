#include "protocols/http_request.h"

#include <algorithm>
#include <cctype>

#include "protocols/http_text.h"

namespace stampede::http {
namespace {

Request Error(std::string why) {
  Request request;
  request.status = RequestStatus::kError;
  request.error = std::move(why);
  return request;
}

bool IsToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '!' || c == '*';
  });
}

// Control bytes other than CR, LF and tab, which never occur in a request head (text).
bool HasBinaryBytes(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](unsigned char c) {
    return c < 0x20 && c != '\r' && c != '\n' && c != '\t';
  });
}

// "METHOD TARGET HTTP/1.x"; false when it is not one.
bool ParseRequestLine(std::string_view line, Request& request) {
  auto first = line.find(' ');
  auto last = line.rfind(' ');
  if (first == std::string_view::npos || last == first) return false;
  auto method = line.substr(0, first);
  auto target = line.substr(first + 1, last - first - 1);
  auto version = line.substr(last + 1);
  if (!IsToken(method) || target.empty() || target.find(' ') != std::string_view::npos) {
    return false;
  }
  if (version.size() != 8 || version.substr(0, 7) != "HTTP/1." || version[7] < '0' ||
      version[7] > '9') {
    return false;
  }
  request.method = std::string(method);
  request.target = std::string(target);
  request.minor_version = version[7] - '0';
  request.keep_alive = request.minor_version >= 1;
  return true;
}

}  // namespace

Request ParseRequest(std::string_view input) {
  const auto head_end = input.find("\r\n\r\n");
  if (head_end == std::string_view::npos) {
    // The head and up to 3 bytes of its "\r\n\r\n" may be in without the end being found.
    if (input.size() > kMaxRequestHeadBytes + 3) return Error("request head over 64 KiB");
    // A request line is printable text; garbage is refused without waiting for more of it.
    if (HasBinaryBytes(input.substr(0, std::min<std::size_t>(input.size(), 256)))) {
      return Error("binary bytes in the head");
    }
    return {};
  }
  if (head_end > kMaxRequestHeadBytes) return Error("request head over 64 KiB");
  std::string_view head = input.substr(0, head_end);
  // Refused whole as in pieces, however the reads split the head.
  if (HasBinaryBytes(head)) return Error("binary bytes in the head");
  auto line_end = head.find("\r\n");
  Request request;
  if (!ParseRequestLine(head.substr(0, line_end), request)) {
    return Error("request line is not METHOD TARGET HTTP/1.x");
  }
  std::int64_t body = 0;
  while (line_end != std::string_view::npos) {
    head.remove_prefix(line_end + 2);
    line_end = head.find("\r\n");
    auto line = head.substr(0, line_end);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return Error("header line without a colon");
    auto name = Lower(Trim(line.substr(0, colon)));
    auto value = Lower(Trim(line.substr(colon + 1)));
    if (name == "content-length") {
      if (value.empty() || value.size() > 9 ||
          !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return Error("invalid Content-Length");
      }
      body = std::stoll(value);
      if (body > kMaxRequestBodyBytes) return Error("request body over 16 MiB");
    } else if (name == "transfer-encoding") {
      return Error("chunked request bodies are not supported");
    } else if (name == "connection") {
      if (value.find("close") != std::string::npos) request.keep_alive = false;
      if (value.find("keep-alive") != std::string::npos) request.keep_alive = true;
    }
  }
  const std::size_t total = head_end + 4 + static_cast<std::size_t>(body);
  if (input.size() < total) return {};
  request.status = RequestStatus::kRequest;
  request.consumed = total;
  return request;
}

std::string QueryParameter(std::string_view target, std::string_view name) {
  auto query = target.find('?');
  if (query == std::string_view::npos) return "";
  std::string_view rest = target.substr(query + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    auto pair = rest.substr(0, amp);
    auto equals = pair.find('=');
    if (pair.substr(0, equals) == name) {
      return equals == std::string_view::npos ? "" : std::string(pair.substr(equals + 1));
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return "";
}

}  // namespace stampede::http
