#include "protocols/resp_reply.h"

#include <gtest/gtest.h>

namespace stampede::resp {
namespace {

TEST(RespReply, ParsesEachReplyType) {
  EXPECT_EQ(Render(ParseReply("+PONG\r\n").reply), "PONG");
  EXPECT_EQ(Render(ParseReply("-ERR wrong\r\n").reply), "-ERR wrong");
  EXPECT_EQ(Render(ParseReply(":42\r\n").reply), ":42");
  EXPECT_EQ(Render(ParseReply("$5\r\nhello\r\n").reply), "hello");
  EXPECT_EQ(Render(ParseReply("$0\r\n\r\n").reply), "");
  EXPECT_EQ(Render(ParseReply("$-1\r\n").reply), "(nil)");
  EXPECT_EQ(Render(ParseReply("*2\r\n$1\r\na\r\n:1\r\n").reply), "[a, :1]");
  EXPECT_EQ(Render(ParseReply("*0\r\n").reply), "[]");
}

TEST(RespReply, ConsumedCoversExactlyOneReply) {
  const std::string two = "$3\r\nabc\r\n+OK\r\n";
  auto first = ParseReply(two);
  ASSERT_EQ(first.status, ParseStatus::kReply);
  EXPECT_EQ(first.consumed, 9u);
  auto second = ParseReply(std::string_view(two).substr(first.consumed));
  ASSERT_EQ(second.status, ParseStatus::kReply);
  EXPECT_EQ(second.reply.text, "OK");
  EXPECT_EQ(second.consumed, 5u);
}

TEST(RespReply, BulkMayHoldCrlfAndBinary) {
  const std::string payload("a\r\nb\0c", 6);
  auto result = ParseReply("$6\r\n" + payload + "\r\n");
  ASSERT_EQ(result.status, ParseStatus::kReply);
  EXPECT_EQ(result.reply.text, payload);
}

// Every proper prefix of a valid reply asks for more input; the whole parses.
TEST(RespReply, EveryPrefixIsIncomplete) {
  for (const std::string reply :
       {"+PONG\r\n", "$11\r\nhello world\r\n", ":-7\r\n", "*3\r\n$1\r\nx\r\n*1\r\n+y\r\n$-1\r\n"}) {
    for (std::size_t n = 0; n < reply.size(); ++n) {
      EXPECT_EQ(ParseReply(std::string_view(reply).substr(0, n)).status, ParseStatus::kIncomplete)
          << "prefix " << n << " of " << reply;
    }
    auto whole = ParseReply(reply);
    EXPECT_EQ(whole.status, ParseStatus::kReply) << reply;
    EXPECT_EQ(whole.consumed, reply.size());
  }
}

TEST(RespReply, PipelinedRepliesParseOneAfterAnother) {
  std::string stream;
  for (int i = 0; i < 100; ++i)
    stream += "$" + std::to_string(std::to_string(i).size()) + "\r\n" + std::to_string(i) + "\r\n";
  std::string_view rest = stream;
  for (int i = 0; i < 100; ++i) {
    auto result = ParseReply(rest);
    ASSERT_EQ(result.status, ParseStatus::kReply);
    EXPECT_EQ(result.reply.text, std::to_string(i));
    rest.remove_prefix(result.consumed);
  }
  EXPECT_TRUE(rest.empty());
}

struct Garbage {
  std::string input;
  std::string error;
};

class RespGarbage : public testing::TestWithParam<Garbage> {};

TEST_P(RespGarbage, IsAnErrorNamingTheProblem) {
  auto result = ParseReply(GetParam().input);
  EXPECT_EQ(result.status, ParseStatus::kError);
  EXPECT_NE(result.error.find(GetParam().error), std::string::npos) << result.error;
  EXPECT_EQ(result.consumed, 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, RespGarbage,
    testing::Values(Garbage{"HTTP/1.1 400 Bad Request\r\n", "0x48 ('H') where a reply starts"},
                    Garbage{std::string("\0\1", 2), "0x00 where a reply starts"},
                    Garbage{"$abc\r\n", "invalid number \"abc\""},
                    Garbage{":\r\n", "invalid number"},
                    Garbage{"$-2\r\n", "bulk length -2 out of range"},
                    Garbage{"$99999999999\r\n", "out of range"},
                    Garbage{"$3\r\nabcd\r\n", "not followed by CRLF"},
                    Garbage{"*-5\r\n", "array length -5 out of range"},
                    Garbage{"*1\r\n!x\r\n", "0x21 ('!') where a reply starts"},
                    Garbage{std::string(70000, 'x'), "0x78"},
                    Garbage{std::string(70000, 'x').replace(0, 1, "+"),
                            "no line end within 65536 bytes"},
                    Garbage{std::string(20, '*') + "1\r\n", "invalid number"},
                    Garbage{[] {
                              std::string deep;
                              for (int i = 0; i < 40; ++i) deep += "*1\r\n";
                              return deep + "+x\r\n";
                            }(),
                            "nested deeper than 16"}));

// kMaxDepth arrays nested in one another are a reply; one more is refused.
TEST(RespReply, ArraysNestAsDeepAsTheLimitAndNoDeeper) {
  auto nested = [](int depth) {
    std::string text;
    for (int i = 0; i < depth; ++i) text += "*1\r\n";
    return text + "+x\r\n";
  };
  EXPECT_EQ(ParseReply(nested(kMaxDepth)).status, ParseStatus::kReply);
  const auto deeper = ParseReply(nested(kMaxDepth + 1));
  EXPECT_EQ(deeper.status, ParseStatus::kError);
  EXPECT_NE(deeper.error.find("nested deeper than 16"), std::string::npos) << deeper.error;
}

// A line of the maximum length is waited for to its line end, one byte longer is refused.
TEST(RespReply, TheLineLimitHoldsWholeAndInPieces) {
  const std::string fits = "+" + std::string(kMaxLineBytes, 'a') + "\r\n";
  EXPECT_EQ(ParseReply(fits).status, ParseStatus::kReply);
  EXPECT_EQ(ParseReply(std::string_view(fits).substr(0, fits.size() - 1)).status,
            ParseStatus::kIncomplete);
  const std::string over = "+" + std::string(kMaxLineBytes + 1, 'a') + "\r\n";
  EXPECT_EQ(ParseReply(over).status, ParseStatus::kError);
  EXPECT_EQ(ParseReply(std::string_view(over).substr(0, over.size() - 1)).status,
            ParseStatus::kError);
}

TEST(RespReply, AppendCommandWritesBulkStringArrays) {
  std::string out;
  AppendCommand({"PING", "c1-7"}, out);
  EXPECT_EQ(out, "*2\r\n$4\r\nPING\r\n$4\r\nc1-7\r\n");
  AppendCommand({"GET", ""}, out);
  EXPECT_EQ(out, "*2\r\n$4\r\nPING\r\n$4\r\nc1-7\r\n*2\r\n$3\r\nGET\r\n$0\r\n\r\n");
}

}  // namespace
}  // namespace stampede::resp
