// Unit tests of http-server's request-target parsing and query decoding. The I/O backends are
// exercised against a running server instead (http_server_e2e_test.cc).
#include "request_target.h"

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(RequestTarget, SplitsPathAndDecodesQuery) {
  ParsedTarget target = ParseTarget("/echo?seq=1&name=a%20b+c&flag&seq=2");
  ASSERT_TRUE(target.valid);
  EXPECT_EQ(target.path, "/echo");
  ASSERT_NE(target.Find("seq"), nullptr);
  EXPECT_EQ(*target.Find("seq"), "1");
  EXPECT_EQ(*target.Find("name"), "a b c");
  EXPECT_EQ(*target.Find("flag"), "");
  EXPECT_EQ(target.Find("missing"), nullptr);
}

TEST(RequestTarget, RejectsWhatTheGrammarRejects) {
  EXPECT_FALSE(ParseTarget("echo").valid);
  EXPECT_FALSE(ParseTarget("/a b").valid);
  EXPECT_FALSE(ParseTarget("/a%zz").valid);
  EXPECT_FALSE(ParseTarget("/a#frag").valid);
  EXPECT_FALSE(ParseTarget("/" + std::string(kMaxTargetBytes, 'a')).valid);
  EXPECT_TRUE(ParseTarget("/a/b;c=d/?q=/x?y").valid);
}

}  // namespace
