#include "protocols/rpc_frame.h"

#include <gtest/gtest.h>

namespace stampede::rpc {
namespace {

std::string Encode(const Frame& frame) {
  std::string out;
  AppendFrame(frame, out);
  return out;
}

TEST(RpcFrame, EncodesTheHeaderBigEndian) {
  EXPECT_EQ(Encode({0x01020304, kReverse, kFlagReply, "ab"}),
            std::string("\0\0\0\2\1\2\3\4\0\2\0\1ab", 14));
}

TEST(RpcFrame, RoundTripsEveryField) {
  Frame sent{4000000000u, kUpper, kFlagReply | kFlagError, std::string("x\0y\r\n", 5)};
  auto decoded = DecodeFrame(Encode(sent));
  ASSERT_EQ(decoded.status, DecodeStatus::kFrame);
  EXPECT_EQ(decoded.consumed, kHeaderBytes + 5);
  EXPECT_EQ(decoded.frame.seq, sent.seq);
  EXPECT_EQ(decoded.frame.method, sent.method);
  EXPECT_EQ(decoded.frame.flags, sent.flags);
  EXPECT_EQ(decoded.frame.payload, sent.payload);
}

TEST(RpcFrame, EveryPrefixIsIncompleteAndTruncatedFramesWait) {
  const std::string frame = Encode({7, kEcho, 0, "payload"});
  for (std::size_t n = 0; n < frame.size(); ++n) {
    EXPECT_EQ(DecodeFrame(std::string_view(frame).substr(0, n)).status, DecodeStatus::kIncomplete)
        << n;
  }
}

TEST(RpcFrame, PipelinedFramesDecodeOneAfterAnother) {
  std::string stream;
  for (std::uint32_t seq = 0; seq < 50; ++seq)
    AppendFrame({seq, kEcho, 0, std::to_string(seq)}, stream);
  std::string_view rest = stream;
  for (std::uint32_t seq = 0; seq < 50; ++seq) {
    auto decoded = DecodeFrame(rest);
    ASSERT_EQ(decoded.status, DecodeStatus::kFrame);
    EXPECT_EQ(decoded.frame.seq, seq);
    EXPECT_EQ(decoded.frame.payload, std::to_string(seq));
    rest.remove_prefix(decoded.consumed);
  }
  EXPECT_TRUE(rest.empty());
}

TEST(RpcFrame, OversizedLengthIsAnErrorBeforeThePayloadArrives) {
  std::string header = Encode({1, kEcho, 0, ""});
  header[1] = 0x20;  // length 0x00200000 = 2 MiB
  auto decoded = DecodeFrame(header);
  EXPECT_EQ(decoded.status, DecodeStatus::kError);
  EXPECT_EQ(decoded.error, "frame length 2097152 exceeds 1048576 (header bytes 0x200000)");
}

TEST(RpcFrame, AMaximalPayloadIsAccepted) {
  auto decoded = DecodeFrame(Encode({1, kEcho, 0, std::string(kMaxPayload, 'x')}));
  EXPECT_EQ(decoded.status, DecodeStatus::kFrame);
}

TEST(RpcFrame, GarbageIsAnError) {
  auto http = DecodeFrame("HTTP/1.1 400 Bad Request\r\n");
  EXPECT_EQ(http.status, DecodeStatus::kError);
  EXPECT_NE(http.error.find("frame length 1213486160 exceeds"), std::string::npos) << http.error;
  std::string flags = Encode({1, kEcho, 0, ""});
  flags[11] = 0x10;
  auto unknown = DecodeFrame(flags);
  EXPECT_EQ(unknown.status, DecodeStatus::kError);
  EXPECT_EQ(unknown.error, "unknown flag bits 0x10");
}

TEST(RpcFrame, MethodsApplyToThePayload) {
  EXPECT_EQ(Apply(kEcho, "abc"), "abc");
  EXPECT_EQ(Apply(kReverse, "abc"), "cba");
  EXPECT_EQ(Apply(kUpper, "ab-c9"), "AB-C9");
  EXPECT_EQ(Apply(9, "abc"), std::nullopt);
}

}  // namespace
}  // namespace stampede::rpc
