// Uri: the parsed form of an absolute "http://HOST[:PORT][/PATH][?QUERY][#FRAGMENT]" URL, as
// http-client needs it to open a connection and write a request line.
//
// Loopback only, by design (like every sample target): a URL whose host is not 127.0.0.0/8,
// ::1 or localhost does not parse. The host is resolved as part of the parse (no DNS lookup).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "net.h"

struct Uri {
  std::string scheme;  // Always "http" (lower case).
  std::string host;    // As written, without the brackets of an IPv6 literal.
  int port = 80;
  std::string path;   // Starts with '/'; "/" when the URL has none.
  std::string query;  // Without the '?'; empty when the URL has none. The fragment is dropped.
  LoopbackAddress address;

  // "PATH" or "PATH?QUERY": what follows GET in the request line.
  std::string RequestTarget() const;
  // The value of the Host header: "HOST:PORT", with brackets around an IPv6 literal.
  std::string HostHeader() const;
  // "http://HOST:PORT/": the origin, which a user agent keys its connections and cookies on.
  std::string Origin() const;
};

// The outcome of parsing one URL: exactly one of `uri` and a non-empty `error` is set.
struct UriParse {
  std::optional<Uri> uri;
  std::string error;  // E.g. "no scheme (expected http://HOST[:PORT]/PATH)".
};

// Parses an absolute http URL. Rejects other schemes, user info, an empty or non-loopback
// host, a port that is not a decimal number in 1..65535, and any space or control character.
UriParse ParseUri(std::string_view text);

// `url` with "seq=N" added to its query: "?seq=N" if it has no query, "&seq=N" otherwise
// (before any fragment).
std::string WithSeq(std::string_view url, int seq);
