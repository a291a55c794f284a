// Unit tests of http-server's HTTP/1.1 request parser. The I/O backends are exercised against a
// running server instead (http_server_e2e_test.cc).
#include "http_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace {

using http::ParseRequest;
using http::ParseStatus;

TEST(HttpParser, ParsesSimpleRequest) {
  std::string input = "GET /echo?seq=1 HTTP/1.1\r\nHost: x\r\n\r\n";
  http::ParseResult result = ParseRequest(input);
  ASSERT_EQ(result.status, ParseStatus::kComplete);
  EXPECT_EQ(result.consumed, input.size());
  EXPECT_EQ(result.request.method, "GET");
  EXPECT_EQ(result.request.target, "/echo?seq=1");
  EXPECT_EQ(result.request.minor_version, 1);
  EXPECT_TRUE(result.request.keep_alive);
}

TEST(HttpParser, IncompleteUntilEmptyLine) {
  std::string input = "GET / HTTP/1.1\r\nHost: x\r\n";
  http::ParseResult result = ParseRequest(input);
  EXPECT_EQ(result.status, ParseStatus::kIncomplete);
  input += "\r\n";
  EXPECT_EQ(ParseRequest(input, result.resume_at).status, ParseStatus::kComplete);
}

TEST(HttpParser, ResumeFindsTerminatorSplitAcrossCalls) {
  std::string full = "GET / HTTP/1.1\r\nA: b\r\n\r\n";
  for (size_t cut = 1; cut < full.size(); ++cut) {
    http::ParseResult first = ParseRequest(full.substr(0, cut));
    ASSERT_EQ(first.status, ParseStatus::kIncomplete) << cut;
    EXPECT_EQ(ParseRequest(full, first.resume_at).status, ParseStatus::kComplete) << cut;
  }
}

TEST(HttpParser, PipelinedRequestsAreConsumedOneAtATime) {
  std::string input = "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
  http::ParseResult first = ParseRequest(input);
  ASSERT_EQ(first.status, ParseStatus::kComplete);
  EXPECT_EQ(first.request.target, "/a");
  http::ParseResult second = ParseRequest(std::string_view(input).substr(first.consumed));
  ASSERT_EQ(second.status, ParseStatus::kComplete);
  EXPECT_EQ(second.request.target, "/b");
}

TEST(HttpParser, BodyIsSkippedByContentLength) {
  std::string input = "POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET";
  http::ParseResult result = ParseRequest(input);
  ASSERT_EQ(result.status, ParseStatus::kComplete);
  EXPECT_EQ(input.substr(result.consumed), "GET");
  EXPECT_EQ(ParseRequest("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nab").status,
            ParseStatus::kIncomplete);
}

TEST(HttpParser, ConnectionSemantics) {
  EXPECT_FALSE(ParseRequest("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").request.keep_alive);
  EXPECT_FALSE(ParseRequest("GET / HTTP/1.0\r\n\r\n").request.keep_alive);
  EXPECT_TRUE(ParseRequest("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").request.keep_alive);
  EXPECT_FALSE(
      ParseRequest("GET / HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n").request.keep_alive);
}

TEST(HttpParser, AcceptsBareLineFeedsAndLeadingEmptyLines) {
  EXPECT_EQ(ParseRequest("\r\nGET / HTTP/1.1\n\n").status, ParseStatus::kComplete);
}

TEST(HttpParser, ReducesAbsoluteFormToOriginForm) {
  EXPECT_EQ(ParseRequest("GET http://h:1/x?y HTTP/1.1\r\n\r\n").request.target, "/x?y");
  EXPECT_EQ(ParseRequest("GET http://h HTTP/1.1\r\n\r\n").request.target, "/");
}

int ErrorStatus(std::string_view input) {
  http::ParseResult result = ParseRequest(input);
  return result.status == ParseStatus::kError ? result.error_status : 0;
}

TEST(HttpParser, RejectsMalformedRequests) {
  EXPECT_EQ(ErrorStatus("GARBAGE\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET  / HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET / HTTP/1.1\r\nHost : x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET / HTTP/1.1\r\nA: b\rc\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET / HTTP/2.0\r\n\r\n"), 505);
  EXPECT_EQ(ErrorStatus("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"), 501);
  EXPECT_EQ(ErrorStatus("POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n"), 413);
}

TEST(HttpParser, HeaderSectionLimitIs64KiB) {
  std::string big = "GET / HTTP/1.1\r\nX: " + std::string(http::kMaxHeaderBytes, 'a');
  EXPECT_EQ(ErrorStatus(big), 431);               // Before the end is seen.
  EXPECT_EQ(ErrorStatus(big + "\r\n\r\n"), 431);  // And after.
  std::string fits = "GET / HTTP/1.1\r\nX: " + std::string(60000, 'a') + "\r\n\r\n";
  EXPECT_EQ(ParseRequest(fits).status, ParseStatus::kComplete);
}

}  // namespace
