#include "scenario/json_source.h"

#include <cctype>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string_view>
#include <vector>

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

SourceLocation LocationOfOffset(const std::string& text, std::size_t offset) {
  SourceLocation location{1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++location.line;
      location.column = 1;
    } else {
      ++location.column;
    }
  }
  return location;
}

// Builds the DOM with nlohmann's own SAX DOM builder and records, for every value, the
// pointer it will have and the offset at which its key (or, in arrays, the value) ended.
class LocatingSax : public nlohmann::detail::json_sax_dom_parser<json> {
 public:
  using Base = nlohmann::detail::json_sax_dom_parser<json>;
  LocatingSax(json& document, const std::size_t& consumed,
              std::map<std::string, std::size_t>& offsets)
      : Base(document, true), consumed_(consumed), offsets_(offsets) {}

  bool null() { return Value() && Base::null(); }
  bool boolean(bool v) { return Value() && Base::boolean(v); }
  bool number_integer(json::number_integer_t v) { return Value() && Base::number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return Value() && Base::number_unsigned(v); }
  bool number_float(json::number_float_t v, const std::string& s) {
    return Value() && Base::number_float(v, s);
  }
  bool string(std::string& v) { return Value() && Base::string(v); }
  bool binary(json::binary_t& v) { return Value() && Base::binary(v); }
  bool start_object(std::size_t n) {
    Value();
    frames_.push_back({false, "", 0});
    return Base::start_object(n);
  }
  bool key(std::string& k) {
    frames_.back().key = k;
    offsets_.emplace(PointerOfChild(), Offset());
    frames_.back().key_located = true;
    return Base::key(k);
  }
  bool end_object() {
    frames_.pop_back();
    return Base::end_object();
  }
  bool start_array(std::size_t n) {
    Value();
    frames_.push_back({true, "", 0});
    return Base::start_array(n);
  }
  bool end_array() {
    frames_.pop_back();
    return Base::end_array();
  }

 private:
  struct Frame {
    bool is_array;
    std::string key;
    std::size_t index;  // arrays: the element being read
    bool key_located = false;
    std::size_t started = 0;  // arrays: elements started so far
  };

  std::string PointerOfChild() const {
    std::string pointer;
    for (const Frame& frame : frames_) {
      pointer += '/';
      pointer += frame.is_array ? std::to_string(frame.index) : EscapePointerToken(frame.key);
    }
    return pointer;
  }

  // Called as each value starts: records array elements (members were located at the key)
  // and makes the new element the array's current one.
  bool Value() {
    if (frames_.empty()) {
      offsets_.emplace("", Offset());
      return true;
    }
    Frame& frame = frames_.back();
    if (frame.is_array) {
      frame.index = frame.started++;
      offsets_.emplace(PointerOfChild(), Offset());
    }
    return true;
  }

  // The parser has read one character past most tokens; step back onto the token.
  std::size_t Offset() const { return consumed_ == 0 ? 0 : consumed_ - 1; }

  const std::size_t& consumed_;
  std::map<std::string, std::size_t>& offsets_;
  std::vector<Frame> frames_;
};

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

Result<JsonSource> JsonSource::Parse(std::string name, const std::string& text) {
  JsonSource source;
  source.name_ = std::move(name);
  std::size_t consumed = 0;
  std::map<std::string, std::size_t> offsets;
  LocatingSax sax(source.root_, consumed, offsets);
  try {
    json::sax_parse(CountingIterator(text.data(), &consumed),
                    CountingIterator(text.data() + text.size(), nullptr), &sax);
  } catch (const json::parse_error& e) {
    auto where = LocationOfOffset(text, ErrorStart(text, e.byte == 0 ? 0 : e.byte - 1));
    // "[json.exception.parse_error.101] parse error at line 3, column 17: syntax error ..."
    std::string what = e.what();
    auto colon = what.find(": ", what.find("parse error"));
    return InvalidInput(
        source.name_ + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
        ": invalid JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2)));
  }
  if (sax.is_errored()) return InvalidInput(source.name_ + ": invalid JSON");
  for (const auto& [pointer, offset] : offsets) {
    source.locations_[pointer] = LocationOfOffset(text, TokenStart(text, offset));
  }
  return source;
}

Result<JsonSource> JsonSource::Load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return EnvironmentError("cannot read " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return Parse(path.string(), buffer.str());
}

SourceLocation JsonSource::Locate(const std::string& pointer) const {
  for (std::string p = pointer;; p = p.substr(0, p.rfind('/'))) {
    auto it = locations_.find(p);
    if (it != locations_.end()) return it->second;
    if (p.empty()) return {};
  }
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
