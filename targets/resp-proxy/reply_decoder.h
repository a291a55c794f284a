// The upstream->client half of resp-proxy: RESP2 replies decoded as they stream in from the
// upstream server, and each complete one encoded again for the client.
//
// The decoder is incremental: it keeps its position (inside a header line, a bulk string's body,
// an array's elements) between calls, so a reply may arrive split across any number of reads,
// and one read may hold several replies. It has no I/O; both backends feed it what each receive
// brought. Its output is canonical RESP2, so replies that are canonical already (resp-server's)
// come out byte for byte as they went in.
//
// TakeUnfinished() is --bug split-reply (see proxy.h): it hands over the reply under way as if it
// were complete, and leaves the decoder's position where it was.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Limits beyond which the upstream's bytes are taken as garbage (the pair is then closed).
constexpr size_t kMaxReplyLineBytes = 64 * 1024;          // A header or simple-string line.
constexpr int64_t kMaxReplyBulkBytes = 64 * 1024 * 1024;  // One bulk string.
constexpr int64_t kMaxReplyArrayItems = 1024 * 1024;
constexpr size_t kMaxReplyDepth = 16;  // Arrays nested in arrays.

// One decoded reply.
struct Reply {
  char type = '$';   // '+' simple string, '-' error, ':' integer, '$' bulk string, '*' array.
  bool nil = false;  // "$-1" or "*-1".
  std::string text;  // The line of '+', '-' and ':' (without CRLF); a bulk string's bytes.
  std::vector<Reply> elements;  // '*'.
};

// Appends the canonical RESP2 encoding of `reply` to *out.
void EncodeReply(const Reply& reply, std::string* out);

class ReplyDecoder {
 public:
  // Decodes the next bytes of the stream and appends every reply they complete, encoded, to
  // *out. Returns false if the bytes are not RESP2 replies (error() says why); the decoder must
  // not be fed again after that.
  bool Feed(std::string_view bytes, std::string* out);

  // Whether the bytes fed so far end in the middle of a reply.
  bool InReply() const { return phase_ != Phase::kType || !arrays_.empty(); }

  // --bug split-reply. If the stream stopped in the middle of a reply, encodes what has been
  // decoded of it to *out as if it were the whole reply: the line or bulk bytes received so far
  // (a bulk string whose length line is still incomplete is empty), in each array under way the
  // elements complete so far plus that partial one. Only the value moves out: the position stays,
  // so the rest of the reply, fed next, is decoded as the continuation of an emptied reply (the
  // rest of the line or of the bulk bytes, the remaining elements) and comes out as one more
  // reply.
  void TakeUnfinished(std::string* out);

  const std::string& error() const { return error_; }

 private:
  enum class Phase {
    kType,    // Expecting the type byte of a reply (or of an array element).
    kLine,    // In the line after the type byte, until '\r'.
    kLineLf,  // The '\n' after the line's '\r'.
    kBody,    // In a bulk string's bytes.
    kBodyCr,  // The "\r\n" after a bulk string's bytes: '\r' ...
    kBodyLf,  // ... then '\n'.
  };

  // An array whose elements are being decoded.
  struct OpenArray {
    Reply array;
    int64_t remaining = 0;  // Elements still to come.
  };

  // Consumes bytes from the front of *bytes (at least one); false on a protocol error.
  bool Step(std::string_view* bytes, std::string* out);
  bool OnType(char c);
  bool OnLine(char c);
  bool EndLine(std::string* out);
  bool OnBulkLength(int64_t length, std::string* out);
  bool OnArrayLength(int64_t length, std::string* out);
  // A reply (or array element) is complete: adds it to the innermost open array, closing the
  // arrays it completes; a reply at the top is encoded to *out.
  void Complete(Reply value, std::string* out);
  bool Fail(std::string why);

  Phase phase_ = Phase::kType;
  char type_ = 0;          // The type byte of the reply (or element) under way.
  std::string line_;       // Its line so far: the value of '+', '-', ':'; the length of '$', '*'.
  std::string bulk_;       // A bulk string's bytes so far.
  int64_t bulk_left_ = 0;  // Bytes of bulk_ still to come.
  std::vector<OpenArray> arrays_;  // Outermost first.
  std::string error_;
};
