#include "uri.h"

#include <algorithm>
#include <cctype>

#include "flags.h"

namespace {

constexpr std::string_view kSchemeSeparator = "://";

bool HasSpaceOrControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7f;
  });
}

std::string Lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

UriParse Failure(std::string error) {
  return UriParse{std::nullopt, std::move(error)};
}

// Splits "HOST[:PORT]" or "[V6]:PORT" into uri->host and uri->port; returns an error or "".
std::string ParseAuthority(std::string_view authority, Uri* uri) {
  if (authority.find('@') != authority.npos) return "user info is not supported";
  std::string_view port_text;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == authority.npos)
      return "unterminated IPv6 literal '" + std::string(authority) + "'";
    uri->host = authority.substr(1, close - 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return "junk after IPv6 literal";
    port_text = rest.empty() ? rest : rest.substr(1);
    if (rest == ":") return "empty port";
  } else {
    size_t colon = authority.find(':');
    uri->host = authority.substr(0, colon);
    if (colon != authority.npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return "empty port";
    }
  }
  if (uri->host.empty()) return "no host";
  if (!port_text.empty()) {
    std::optional<int> port = ParseInt(port_text, 1, 65535);
    if (!port) {
      return "invalid port '" + std::string(port_text) + "' (expected 1..65535)";
    }
    uri->port = *port;
  }
  return "";
}

// Splits what follows the authority ("/PATH?QUERY#FRAGMENT", any part optional).
void ParsePathAndQuery(std::string_view rest, Uri* uri) {
  rest = rest.substr(0, rest.find('#'));
  size_t question = rest.find('?');
  std::string_view path = rest.substr(0, question);
  uri->path = path.empty() ? "/" : std::string(path);
  if (question != rest.npos) uri->query = rest.substr(question + 1);
}

}  // namespace

std::string Uri::RequestTarget() const {
  return query.empty() ? path : path + "?" + query;
}

std::string Uri::HostHeader() const {
  bool ipv6 = host.find(':') != host.npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string Uri::Origin() const {
  return scheme + "://" + HostHeader() + "/";
}

UriParse ParseUri(std::string_view text) {
  if (HasSpaceOrControl(text)) return Failure("invalid character (space or control) in URL");
  size_t separator = text.find(kSchemeSeparator);
  if (separator == text.npos || separator == 0) {
    return Failure("no scheme (expected http://HOST[:PORT]/PATH)");
  }
  Uri uri;
  uri.scheme = Lowercase(text.substr(0, separator));
  if (uri.scheme != "http") return Failure("unsupported scheme '" + uri.scheme + "' (only http)");
  std::string_view rest = text.substr(separator + kSchemeSeparator.size());
  size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  std::string error = ParseAuthority(rest.substr(0, authority_end), &uri);
  if (!error.empty()) return Failure(std::move(error));
  ParsePathAndQuery(rest.substr(authority_end), &uri);
  if (!ParseLoopbackHost(Lowercase(uri.host), uri.port, &uri.address)) {
    return Failure("host '" + uri.host +
                   "' is not loopback (only 127.0.0.0/8, ::1 and localhost are allowed)");
  }
  return UriParse{std::move(uri), ""};
}

std::string WithSeq(std::string_view url, int seq) {
  size_t fragment = std::min(url.find('#'), url.size());
  std::string_view before = url.substr(0, fragment);
  char joiner = before.find('?') == before.npos ? '?' : '&';
  return std::string(before) + joiner + "seq=" + std::to_string(seq) +
         std::string(url.substr(fragment));
}
