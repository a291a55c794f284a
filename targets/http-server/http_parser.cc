#include "http_parser.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace http {
namespace {

ParseResult Error(int status) {
  ParseResult result;
  result.status = ParseStatus::kError;
  result.error_status = status;
  return result;
}

// tchar from RFC 9110 5.6.2.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar);
}

// Field values may hold visible characters, obs-text, spaces and tabs; no other control bytes.
bool IsFieldValue(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
  });
}

std::string_view TrimWhitespace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

// Returns the offset just past the empty line ending the header section, searching for a '\n'
// from `from`, or npos. Both CRLF and bare LF line endings are recognised.
size_t FindHeaderEnd(std::string_view buffer, size_t from) {
  for (size_t i = buffer.find('\n', from); i != std::string_view::npos;
       i = buffer.find('\n', i + 1)) {
    if (i + 1 < buffer.size() && buffer[i + 1] == '\n') return i + 2;
    if (i + 2 < buffer.size() && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') return i + 3;
  }
  return std::string_view::npos;
}

// Splits the header section into lines without their line endings. A bare CR inside a line is
// rejected by returning nullopt.
std::optional<std::vector<std::string_view>> SplitLines(std::string_view section) {
  std::vector<std::string_view> lines;
  while (!section.empty()) {
    size_t eol = section.find('\n');
    std::string_view line = section.substr(0, eol);
    section.remove_prefix(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\r') != std::string_view::npos) return std::nullopt;
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// Reduces an absolute-form target ("http://host/path") to origin-form; returns "" if invalid.
std::string_view OriginForm(std::string_view target) {
  if (target.starts_with('/')) return target;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (!target.starts_with(scheme)) continue;
    size_t slash = target.find_first_of("/?", scheme.size());
    if (slash == std::string_view::npos) return "/";
    return target[slash] == '/' ? target.substr(slash) : std::string_view();
  }
  return {};
}

// Parses "METHOD SP request-target SP HTTP/1.x" into *request; returns 0 or an error status.
int ParseRequestLine(std::string_view line, Request* request) {
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return 400;
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!IsToken(method) || target.empty()) return 400;
  if (!std::all_of(target.begin(), target.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
    return 400;
  }
  target = OriginForm(target);
  if (target.empty()) return 400;
  if (version.size() != 8 || !version.starts_with("HTTP/") || version[6] != '.') return 400;
  char major = version[5], minor = version[7];
  if (major < '0' || major > '9' || minor < '0' || minor > '9') return 400;
  if (major != '1' || minor > '1') return 505;
  request->method = method;
  request->target = target;
  request->minor_version = minor - '0';
  return 0;
}

// What the header fields tell about framing and persistence.
struct HeaderFacts {
  std::optional<size_t> content_length;
  bool transfer_encoding = false;
  bool connection_close = false;
  bool connection_keep_alive = false;
};

void ParseConnectionTokens(std::string_view value, HeaderFacts* facts) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view token = TrimWhitespace(value.substr(0, comma));
    if (EqualsIgnoreCase(token, "close")) facts->connection_close = true;
    if (EqualsIgnoreCase(token, "keep-alive")) facts->connection_keep_alive = true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

// Records a Content-Length value; returns false if it is malformed or contradicts an earlier one.
bool ParseContentLength(std::string_view value, HeaderFacts* facts) {
  if (value.empty() || value.size() > 18) return false;
  size_t length = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return false;
    length = length * 10 + static_cast<size_t>(c - '0');
  }
  if (facts->content_length && *facts->content_length != length) return false;
  facts->content_length = length;
  return true;
}

// Parses one "name: value" line into *facts; returns false if the line is malformed.
bool ParseHeaderLine(std::string_view line, HeaderFacts* facts) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view name = line.substr(0, colon);  // No whitespace allowed before the colon.
  std::string_view value = TrimWhitespace(line.substr(colon + 1));
  if (!IsToken(name) || !IsFieldValue(value)) return false;
  if (EqualsIgnoreCase(name, "content-length")) return ParseContentLength(value, facts);
  if (EqualsIgnoreCase(name, "transfer-encoding")) facts->transfer_encoding = true;
  if (EqualsIgnoreCase(name, "connection")) ParseConnectionTokens(value, facts);
  return true;
}

}  // namespace

ParseResult ParseRequest(std::string_view buffer, size_t resume_at) {
  size_t start = buffer.find_first_not_of("\r\n");
  if (start == std::string_view::npos) start = buffer.size();
  if (start > kMaxHeaderBytes) return Error(400);
  size_t end = FindHeaderEnd(buffer, std::max(start, resume_at));
  if (end == std::string_view::npos || end - start > kMaxHeaderBytes) {
    if (buffer.size() - start > kMaxHeaderBytes) return Error(431);
    ParseResult more;
    more.resume_at = std::max(start, buffer.size() < 2 ? 0 : buffer.size() - 2);
    return more;
  }
  std::optional<std::vector<std::string_view>> lines =
      SplitLines(buffer.substr(start, end - start));
  if (!lines || lines->empty()) return Error(400);
  ParseResult result;
  if (int status = ParseRequestLine(lines->front(), &result.request)) return Error(status);
  HeaderFacts facts;
  for (size_t i = 1; i < lines->size(); ++i) {
    std::string_view line = (*lines)[i];
    if (line.front() == ' ' || line.front() == '\t') return Error(400);  // obs-fold
    if (!ParseHeaderLine(line, &facts)) return Error(400);
  }
  if (facts.transfer_encoding) return Error(501);
  size_t body = facts.content_length.value_or(0);
  if (body > kMaxBodyBytes) return Error(413);
  if (buffer.size() - end < body) {
    ParseResult more;
    more.resume_at = end - 3 > start ? end - 3 : start;  // Finds the same header end at once.
    return more;
  }
  result.request.keep_alive = result.request.minor_version == 1
                                  ? !facts.connection_close
                                  : facts.connection_keep_alive && !facts.connection_close;
  result.status = ParseStatus::kComplete;
  result.consumed = end + body;
  return result;
}

}  // namespace http
