// Unit tests of resp-proxy's reply decoder: canonical replies come out unchanged however the
// stream is split, what is not RESP2 is an error, and TakeUnfinished (--bug split-reply) turns
// one reply split across two feeds into two replies.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "reply_decoder.h"

namespace {

// Every kind of reply resp-server and Redis send, nested arrays and a bulk holding CRLF included.
const std::string kStream =
    "+PONG\r\n"
    "-ERR unknown command 'x'\r\n"
    ":-12\r\n"
    "$5\r\nhello\r\n"
    "$0\r\n\r\n"
    "$-1\r\n"
    "*-1\r\n"
    "*0\r\n"
    "*3\r\n$1\r\na\r\n*2\r\n:1\r\n+ok\r\n$-1\r\n"
    "$4\r\na\r\nb\r\n";

// Feeds `pieces` one after the other, as the proxy does its receives from the upstream (with
// --bug split-reply if `take_unfinished`: TakeUnfinished after each); returns the output, or
// "error: why".
std::string Decode(std::initializer_list<std::string_view> pieces, bool take_unfinished = false) {
  ReplyDecoder decoder;
  std::string out;
  for (std::string_view piece : pieces) {
    if (!decoder.Feed(piece, &out)) return "error: " + decoder.error();
    if (take_unfinished) decoder.TakeUnfinished(&out);
  }
  return out;
}

TEST(ReplyDecoder, CanonicalRepliesComeOutUnchanged) {
  EXPECT_EQ(Decode({kStream}), kStream);
}

TEST(ReplyDecoder, EverySplitIsReassembled) {
  std::string_view stream = kStream;
  for (size_t first = 0; first <= stream.size(); ++first) {
    for (size_t second = first; second <= stream.size(); ++second) {
      ASSERT_EQ(Decode({stream.substr(0, first), stream.substr(first, second - first),
                        stream.substr(second)}),
                kStream)
          << "split at " << first << " and " << second;
    }
  }
}

TEST(ReplyDecoder, ByteByByteIsReassembled) {
  ReplyDecoder decoder;
  std::string out;
  for (char c : kStream) {
    ASSERT_TRUE(decoder.Feed(std::string_view(&c, 1), &out)) << decoder.error();
  }
  EXPECT_EQ(out, kStream);
  EXPECT_FALSE(decoder.InReply());
}

TEST(ReplyDecoder, WhatIsNotRespIsAnError) {
  EXPECT_EQ(Decode({"HTTP/1.1 200 OK\r\n"}), "error: unexpected byte 72 where a reply starts");
  EXPECT_EQ(Decode({"$abc\r\n"}), "error: invalid length line 'abc'");
  EXPECT_EQ(Decode({"$3\r\nabcd\r\n"}), "error: bulk string longer than its length");
  EXPECT_EQ(Decode({"*-2\r\n"}), "error: invalid array length");
  EXPECT_EQ(Decode({"+OK\rx"}), "error: no '\\n' after '\\r'");
}

TEST(ReplyDecoder, InReplyUntilTheReplyIsComplete) {
  ReplyDecoder decoder;
  std::string out;
  ASSERT_TRUE(decoder.Feed("*2\r\n$1\r\na\r\n", &out));
  EXPECT_TRUE(decoder.InReply());
  EXPECT_EQ(out, "");
  ASSERT_TRUE(decoder.Feed(":7\r\n", &out));
  EXPECT_FALSE(decoder.InReply());
  EXPECT_EQ(out, "*2\r\n$1\r\na\r\n:7\r\n");
}

// --bug split-reply: the cut reply goes out as it is, its rest comes out as one more reply.
TEST(TakeUnfinished, CutsABulkStringInTwo) {
  EXPECT_EQ(Decode({"$6\r\ntok", "en1\r\n$2\r\nok\r\n"}, true),
            "$3\r\ntok\r\n$3\r\nen1\r\n$2\r\nok\r\n");
}

TEST(TakeUnfinished, KeepsAnIncompleteLengthLine) {
  EXPECT_EQ(Decode({"$1", "0\r\n0123456789\r\n"}, true), "$0\r\n\r\n$10\r\n0123456789\r\n");
}

TEST(TakeUnfinished, CutsSimpleStringsAndArrays) {
  EXPECT_EQ(Decode({"+PO", "NG\r\n*2\r\n$1\r\na\r\n$1\r", "\nb\r\n"}, true),
            "+PO\r\n+NG\r\n*2\r\n$1\r\na\r\n$0\r\n\r\n*1\r\n$1\r\nb\r\n");
}

TEST(TakeUnfinished, DoesNothingBetweenReplies) {
  EXPECT_EQ(Decode({"+OK\r\n", "$2\r\nok\r\n"}, true), "+OK\r\n$2\r\nok\r\n");
  EXPECT_EQ(Decode({kStream}, true), kStream);
}

}  // namespace
