#include "scenario/placeholders.h"

namespace stampede {
namespace {

struct Piece {
  bool is_placeholder;
  std::string text;  // literal text (unescaped) or placeholder name
  std::string raw;   // as written
};

Result<std::vector<Piece>> Split(std::string_view text) {
  std::vector<Piece> pieces;
  std::string literal, raw;
  auto flush = [&] {
    if (!raw.empty()) pieces.push_back({false, literal, raw});
    literal.clear();
    raw.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal += c;
      raw += std::string(2, c);
      ++i;
    } else if (c == '{') {
      auto close = text.find('}', i);
      if (close == std::string_view::npos) {
        return InvalidInput("unclosed \"{\" in \"" + std::string(text) +
                            "\" (write {{ for a brace)");
      }
      auto name = std::string(text.substr(i + 1, close - i - 1));
      if (name.empty() || name.find('{') != std::string::npos) {
        return InvalidInput("bad placeholder in \"" + std::string(text) + "\"");
      }
      flush();
      pieces.push_back({true, name, "{" + name + "}"});
      i = close;
    } else if (c == '}') {
      return InvalidInput("unmatched \"}\" in \"" + std::string(text) +
                          "\" (write }} for a brace)");
    } else {
      literal += c;
      raw += c;
    }
  }
  flush();
  return pieces;
}

}  // namespace

Result<std::vector<std::string>> PlaceholderNames(std::string_view text) {
  auto pieces = Split(text);
  if (!pieces.ok()) return pieces.error();
  std::vector<std::string> names;
  for (const auto& piece : pieces.value()) {
    if (piece.is_placeholder) names.push_back(piece.text);
  }
  return names;
}

Result<std::string> ExpandPlaceholders(std::string_view text, const PlaceholderValues& values,
                                       bool keep_unknown) {
  auto pieces = Split(text);
  if (!pieces.ok()) return pieces.error();
  std::string out;
  for (const auto& piece : pieces.value()) {
    if (!piece.is_placeholder) {
      out += keep_unknown ? piece.raw : piece.text;
      continue;
    }
    auto it = values.find(piece.text);
    if (it != values.end()) {
      out += it->second;
    } else if (keep_unknown) {
      out += piece.raw;
    } else {
      return InvalidInput("unknown placeholder {" + piece.text + "} in \"" + std::string(text) +
                          "\"");
    }
  }
  return out;
}

Result<std::size_t> ExpandedLength(std::string_view text, const PlaceholderValues& values) {
  auto pieces = Split(text);
  if (!pieces.ok()) return pieces.error();
  std::size_t length = 0;
  for (const auto& piece : pieces.value()) {
    auto it = piece.is_placeholder ? values.find(piece.text) : values.end();
    length += it != values.end() ? it->second.size() : piece.raw.size();
  }
  return length;
}

std::string SolePlaceholder(std::string_view text) {
  if (text.size() < 3 || text.front() != '{' || text.back() != '}') return {};
  auto inner = text.substr(1, text.size() - 2);
  if (inner.find_first_of("{}") != std::string_view::npos) return {};
  return std::string(inner);
}

std::string ExpandSeq(std::string_view text, std::string_view seq) {
  std::string out;
  out.reserve(text.size() + seq.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 5, "{seq}") == 0) {
      out += seq;
      i += 4;
    } else if ((text[i] == '{' || text[i] == '}') && i + 1 < text.size() &&
               text[i + 1] == text[i]) {
      out += text[i++];
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace stampede
