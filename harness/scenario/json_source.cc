#include "scenario/json_source.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>
#include <string_view>
#include <vector>

#include "scenario/text_file.h"

namespace stampede {
namespace {

using nlohmann::json;

// An input iterator over the text that remembers how far the parser has read, so the
// SAX callbacks below can tell where each token ended.
class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator() = default;
  CountingIterator(const char* position, std::size_t* consumed)
      : position_(position), consumed_(consumed) {}
  reference operator*() const { return *position_; }
  CountingIterator& operator++() {
    ++position_;
    if (consumed_ != nullptr) ++*consumed_;
    return *this;
  }
  bool operator==(const CountingIterator& other) const { return position_ == other.position_; }
  bool operator!=(const CountingIterator& other) const { return position_ != other.position_; }

 private:
  const char* position_ = nullptr;
  std::size_t* consumed_ = nullptr;
};

// The SAX callbacks run once a token has been read, so the offset they see is the token's
// last character (strings, keys, literals, brackets) or, for a number, the character after
// it. Steps back to the token's first character.
std::size_t TokenStart(const std::string& text, std::size_t end) {
  if (end >= text.size() || text[end] == '{' || text[end] == '[') return end;
  if (text[end] == '"') {
    for (std::size_t i = end; i-- > 0;) {
      if (text[i] != '"') continue;
      std::size_t backslashes = 0;
      while (backslashes < i && text[i - backslashes - 1] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return i;
    }
    return end;
  }
  auto in_token = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '+' || c == '.';
  };
  if (!in_token(text[end]) && end > 0) --end;
  while (end > 0 && in_token(text[end - 1])) --end;
  return end;
}

// Where a syntax error is reported: `last` is the last character the parser read. A
// structural character is a token of its own; anything else ends a string, number or literal.
std::size_t ErrorStart(const std::string& text, std::size_t last) {
  if (last < text.size() && std::string_view("{}[]:,").find(text[last]) != std::string_view::npos) {
    return last;
  }
  return TokenStart(text, last);
}

// The length of the UTF-8 character at text[i], or 0 when the bytes there are not one:
// overlong forms, surrogates and code points above U+10FFFF are not characters.
std::size_t Utf8Length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) {
    return k < text.size() ? static_cast<unsigned>(text[k]) & 0xffU : 0U;
  };
  const unsigned lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t continuation = 0;
  unsigned low = 0x80;  // the range of the first continuation byte
  unsigned high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    continuation = 1;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    continuation = 2;
    low = lead == 0xe0 ? 0xa0 : 0x80;
    high = lead == 0xed ? 0x9f : 0xbf;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    continuation = 3;
    low = lead == 0xf0 ? 0x90 : 0x80;
    high = lead == 0xf4 ? 0x8f : 0xbf;
  } else {
    return 0;
  }
  for (std::size_t k = 1; k <= continuation; ++k) {
    const unsigned next = byte(i + k);  // 0 past the end: not a continuation byte
    if (next < (k == 1 ? low : 0x80U) || next > (k == 1 ? high : 0xbfU)) return 0;
  }
  return continuation + 1;
}

// The offset of the first byte that is not part of a UTF-8 character, if any.
std::optional<std::size_t> FirstNonUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = Utf8Length(text, i);
    if (length == 0) return i;
    i += length;
  }
  return std::nullopt;
}

// What stopped the parse besides a syntax error, and where.
struct ParseProblem {
  std::size_t offset;
  std::string message;                 // after "file:line:col: "
  std::optional<std::size_t> earlier;  // a duplicate key: where the first one is
};

// Builds the DOM with nlohmann's own SAX DOM builder and records where every value starts
// (an object member: its key) in `locations`. Keeps only the open arrays and objects, so
// the work per value is its own token. Stops at a key its object has already and at nesting
// deeper than JsonSource::kMaxDepth; problem() then says why.
class LocatingSax : public nlohmann::detail::json_sax_dom_parser<json> {
 public:
  using Base = nlohmann::detail::json_sax_dom_parser<json>;
  LocatingSax(json& document, const std::string& text, const std::size_t& consumed,
              ValueLocations& locations)
      : Base(document, true), text_(text), consumed_(consumed), locations_(locations) {}

  bool null() { return Value() && Base::null(); }
  bool boolean(bool v) { return Value() && Base::boolean(v); }
  bool number_integer(json::number_integer_t v) { return Value() && Base::number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return Value() && Base::number_unsigned(v); }
  bool number_float(json::number_float_t v, const std::string& s) {
    return Value() && Base::number_float(v, s);
  }
  bool string(std::string& v) { return Value() && Base::string(v); }
  bool binary(json::binary_t& v) { return Value() && Base::binary(v); }
  bool start_object(std::size_t n) { return Open(false) && Base::start_object(n); }
  bool key(std::string& k);
  bool end_object() {
    frames_.pop_back();
    return Base::end_object();
  }
  bool start_array(std::size_t n) { return Open(true) && Base::start_array(n); }
  bool end_array() {
    frames_.pop_back();
    return Base::end_array();
  }

  const std::optional<ParseProblem>& problem() const { return problem_; }

 private:
  // An open array or object.
  struct Frame {
    ValueLocations::Id id;
    bool is_array;
    std::string token;              // its name in its parent, for messages
    std::size_t elements = 0;       // arrays: elements started so far
    ValueLocations::Id member = 0;  // objects: the member whose value comes next
    std::string member_key;         // objects: that member's key
  };

  // Records the value that starts now (members were recorded at their key); returns its id.
  ValueLocations::Id Start() {
    if (frames_.empty()) return locations_.AddRoot(TokenStart(text_, Offset()));
    Frame& frame = frames_.back();
    if (!frame.is_array) return frame.member;
    ++frame.elements;
    return locations_.AddElement(frame.id, TokenStart(text_, Offset()));
  }
  bool Value() {
    Start();
    return true;
  }
  bool Open(bool is_array);
  std::string OpenPointer() const;

  // The parser has read one character past most tokens; step back onto the token.
  std::size_t Offset() const { return consumed_ == 0 ? 0 : consumed_ - 1; }

  const std::string& text_;
  const std::size_t& consumed_;
  ValueLocations& locations_;
  std::vector<Frame> frames_;
  std::optional<ParseProblem> problem_;
};

bool LocatingSax::Open(bool is_array) {
  if (frames_.size() >= JsonSource::kMaxDepth) {
    problem_ = ParseProblem{Offset(),
                            "nested too deeply: depth " + std::to_string(frames_.size() + 1) +
                                " here, more than the " + std::to_string(JsonSource::kMaxDepth) +
                                " levels of arrays and objects allowed",
                            std::nullopt};
    return false;
  }
  std::string token;
  if (!frames_.empty()) {
    Frame& parent = frames_.back();
    token = parent.is_array ? std::to_string(parent.elements) : std::move(parent.member_key);
  }
  const ValueLocations::Id id = Start();
  frames_.push_back({id, is_array, std::move(token)});
  return true;
}

bool LocatingSax::key(std::string& k) {
  Frame& frame = frames_.back();
  const std::size_t offset = TokenStart(text_, Offset());
  auto [id, added] = locations_.AddMember(frame.id, k, offset);
  if (!added) {
    problem_ = ParseProblem{offset, "at " + OpenPointer() + ": duplicate key \"" + k + "\"",
                            locations_.offset(id)};
    return false;
  }
  frame.member = id;
  frame.member_key = k;
  return Base::key(k);
}

// The JSON pointer of the innermost open array or object.
std::string LocatingSax::OpenPointer() const {
  std::string pointer;
  for (std::size_t i = 1; i < frames_.size(); ++i) {
    pointer += "/" + EscapePointerToken(frames_[i].token);
  }
  return pointer.empty() ? "/" : pointer;
}

}  // namespace

std::string EscapePointerToken(const std::string& token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string JsonSource::At(std::size_t offset) const {
  auto [line, column] = lines_.LineAndColumn(std::min(offset, size_));
  return name_ + ":" + std::to_string(line) + ":" + std::to_string(column);
}

Result<JsonSource> JsonSource::Parse(std::string name, const std::string& text) {
  JsonSource source;
  source.name_ = std::move(name);
  source.lines_ = LineIndex(text);
  source.size_ = text.size();
  if (auto bad = FirstNonUtf8(text)) {
    return InvalidInput(source.At(*bad) +
                        fmt::format(": not UTF-8 text: byte 0x{:02X} is not part of a UTF-8 "
                                    "character (save the file as UTF-8)",
                                    static_cast<unsigned>(text[*bad]) & 0xffU));
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidInput(source.At(0) + ": invalid JSON: the text is empty");
  }
  std::size_t consumed = 0;
  LocatingSax sax(source.root_, text, consumed, source.locations_);
  try {
    json::sax_parse(CountingIterator(text.data(), &consumed),
                    CountingIterator(text.data() + text.size(), nullptr), &sax);
  } catch (const json::parse_error& e) {
    // "[json.exception.parse_error.101] parse error at line 3, column 17: syntax error ..."
    std::string what = e.what();
    auto colon = what.find(": ", what.find("parse error"));
    return InvalidInput(
        source.At(ErrorStart(text, e.byte == 0 ? 0 : e.byte - 1)) +
        ": invalid JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2)));
  } catch (const json::exception& e) {
    // "[json.exception.out_of_range.406] number overflow parsing '1e999'", thrown at the
    // value the parser has just read.
    std::string what = e.what();
    auto bracket = what.find("] ");
    return InvalidInput(
        source.At(TokenStart(text, consumed == 0 ? 0 : consumed - 1)) +
        ": invalid JSON: " + (bracket == std::string::npos ? what : what.substr(bracket + 2)));
  }
  if (const auto& problem = sax.problem()) {
    std::string message = source.At(problem->offset) + ": " + problem->message;
    if (problem->earlier) message += ", the first is at " + source.At(*problem->earlier);
    return InvalidInput(message);
  }
  if (sax.is_errored()) return InvalidInput(source.name_ + ": invalid JSON");
  return source;
}

Result<JsonSource> JsonSource::Load(const std::filesystem::path& path) {
  auto text = ReadTextFile(path, kMaxFileBytes, "a scenario file");
  if (!text.ok()) return text.error();
  return Parse(path.string(), text.value());
}

SourceLocation JsonSource::Locate(const std::string& pointer) const {
  auto offset = locations_.Find(pointer);
  if (!offset) return {};
  auto [line, column] = lines_.LineAndColumn(std::min(*offset, size_));
  return {line, column};
}

std::string JsonSource::Describe(const std::string& pointer, const std::string& message) const {
  auto where = Locate(pointer);
  std::string out = name_;
  if (where.line > 0) {
    out += ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
  }
  out += ": at " + (pointer.empty() ? std::string("/") : pointer) + ": " + message;
  return out;
}

}  // namespace stampede
