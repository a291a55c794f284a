#include "request_target.h"

#include <regex>

namespace {

constexpr size_t npos = std::string_view::npos;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes application/x-www-form-urlencoded text: "%XX" escapes and '+' for space.
std::string FormDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

// origin-form = absolute-path [ "?" query ]  (RFC 9112 3.2.1; RFC 3986 3.3 and 3.4), where the
// path is one or more "/" segment and segments and the query are made of pchar (unreserved,
// percent-encoded, sub-delims, ":" and "@"; the query also allows "/" and "?").
// Capture 1 is the path, capture 2 the query.
const std::regex& OriginFormGrammar() {
  static const std::regex grammar(
      R"(((?:/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)+))"
      R"((?:\?((?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*))?)");
  return grammar;
}

}  // namespace

const std::string* ParsedTarget::Find(std::string_view key) const {
  for (const auto& [name, value] : params) {
    if (name == key) return &value;
  }
  return nullptr;
}

ParsedTarget ParseTarget(std::string_view target) {
  ParsedTarget parsed;
  std::match_results<std::string_view::const_iterator> match;
  if (target.size() > kMaxTargetBytes ||
      !std::regex_match(target.begin(), target.end(), match, OriginFormGrammar())) {
    return parsed;
  }
  parsed.valid = true;
  parsed.path = match.str(1);
  std::string_view query(match[2].first, match[2].second);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string_view value = eq == npos ? "" : pair.substr(eq + 1);
      parsed.params.emplace_back(FormDecode(pair.substr(0, eq)), FormDecode(value));
    }
    if (amp == npos) break;
    query.remove_prefix(amp + 1);
  }
  return parsed;
}
