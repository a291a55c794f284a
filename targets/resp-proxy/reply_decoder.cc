#include "reply_decoder.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>

namespace {

// A length line of '$' or '*': an optional '-' and decimal digits.
std::optional<int64_t> ParseLength(std::string_view line) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), value);
  if (line.empty() || error != std::errc() || end != line.data() + line.size()) return std::nullopt;
  return value;
}

}  // namespace

void EncodeReply(const Reply& reply, std::string* out) {
  out->push_back(reply.type);
  if (reply.nil) {
    out->append("-1\r\n");
  } else if (reply.type == '$') {
    out->append(std::to_string(reply.text.size())).append("\r\n").append(reply.text);
    out->append("\r\n");
  } else if (reply.type == '*') {
    out->append(std::to_string(reply.elements.size())).append("\r\n");
    for (const Reply& element : reply.elements) EncodeReply(element, out);
  } else {
    out->append(reply.text).append("\r\n");
  }
}

bool ReplyDecoder::Feed(std::string_view bytes, std::string* out) {
  while (!bytes.empty()) {
    if (!Step(&bytes, out)) return false;
  }
  return true;
}

bool ReplyDecoder::Step(std::string_view* bytes, std::string* out) {
  if (phase_ == Phase::kBody) {  // The bulk bytes at hand, at once.
    size_t take = static_cast<size_t>(std::min<int64_t>(bulk_left_, bytes->size()));
    bulk_.append(bytes->substr(0, take));
    bytes->remove_prefix(take);
    bulk_left_ -= static_cast<int64_t>(take);
    if (bulk_left_ == 0) phase_ = Phase::kBodyCr;
    return true;
  }
  char c = bytes->front();
  bytes->remove_prefix(1);
  switch (phase_) {
    case Phase::kType:
      return OnType(c);
    case Phase::kLine:
      return OnLine(c);
    case Phase::kLineLf:
      return c == '\n' ? EndLine(out) : Fail("no '\\n' after '\\r'");
    case Phase::kBodyCr:
      phase_ = Phase::kBodyLf;
      return c == '\r' || Fail("bulk string longer than its length");
    case Phase::kBodyLf:
      if (c != '\n') return Fail("bulk string longer than its length");
      Complete(Reply{'$', false, std::move(bulk_), {}}, out);
      return true;
    case Phase::kBody:
      break;  // Handled above.
  }
  return true;
}

bool ReplyDecoder::OnType(char c) {
  if (std::string_view("+-:$*").find(c) == std::string_view::npos) {
    return Fail("unexpected byte " + std::to_string(static_cast<unsigned char>(c)) +
                " where a reply starts");
  }
  type_ = c;
  line_.clear();
  phase_ = Phase::kLine;
  return true;
}

bool ReplyDecoder::OnLine(char c) {
  if (c == '\r') {
    phase_ = Phase::kLineLf;
  } else if (line_.size() >= kMaxReplyLineBytes) {
    return Fail("reply line too long");
  } else {
    line_.push_back(c);
  }
  return true;
}

bool ReplyDecoder::EndLine(std::string* out) {
  phase_ = Phase::kType;
  if (type_ != '$' && type_ != '*') {
    Complete(Reply{type_, false, std::move(line_), {}}, out);
    return true;
  }
  std::optional<int64_t> length = ParseLength(line_);
  if (!length) return Fail("invalid length line '" + line_ + "'");
  return type_ == '$' ? OnBulkLength(*length, out) : OnArrayLength(*length, out);
}

bool ReplyDecoder::OnBulkLength(int64_t length, std::string* out) {
  if (length == -1) {
    Complete(Reply{'$', true, {}, {}}, out);
    return true;
  }
  if (length < 0 || length > kMaxReplyBulkBytes) return Fail("invalid bulk length");
  bulk_.clear();
  bulk_left_ = length;
  phase_ = length > 0 ? Phase::kBody : Phase::kBodyCr;
  return true;
}

bool ReplyDecoder::OnArrayLength(int64_t length, std::string* out) {
  if (length == -1 || length == 0) {
    Complete(Reply{'*', length == -1, {}, {}}, out);
    return true;
  }
  if (length < 0 || length > kMaxReplyArrayItems) return Fail("invalid array length");
  if (arrays_.size() >= kMaxReplyDepth) return Fail("arrays nested too deep");
  arrays_.push_back(OpenArray{Reply{'*', false, {}, {}}, length});
  return true;
}

void ReplyDecoder::Complete(Reply value, std::string* out) {
  phase_ = Phase::kType;
  while (!arrays_.empty()) {
    OpenArray& innermost = arrays_.back();
    innermost.array.elements.push_back(std::move(value));
    if (--innermost.remaining > 0) return;
    value = std::move(innermost.array);
    arrays_.pop_back();
  }
  EncodeReply(value, out);
}

void ReplyDecoder::TakeUnfinished(std::string* out) {
  if (!InReply()) return;
  // The element under way, if the stream stopped inside one (not between two elements).
  std::optional<Reply> partial;
  if (phase_ != Phase::kType) {
    partial = Reply{type_, false, {}, {}};
    if (type_ == '$' && phase_ != Phase::kLine && phase_ != Phase::kLineLf) {
      partial->text = std::move(bulk_);
      bulk_.clear();
    } else if (type_ != '$' && type_ != '*') {
      partial->text = std::move(line_);
      line_.clear();
    }  // A '$' or '*' length line is the position, not the value: it stays.
  }
  for (auto open = arrays_.rbegin(); open != arrays_.rend(); ++open) {
    Reply array = std::move(open->array);
    open->array = Reply{'*', false, {}, {}};
    if (partial) array.elements.push_back(std::move(*partial));
    partial = std::move(array);
  }
  EncodeReply(*partial, out);
}

bool ReplyDecoder::Fail(std::string why) {
  error_ = std::move(why);
  return false;
}
