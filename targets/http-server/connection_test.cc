// Unit tests of http-server's connection state machine of the single-threaded backends (epoll,
// poll, uring). The I/O backends are exercised against a running server instead
// (http_server_e2e_test.cc).
#include "connection.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>

#include "route_cache.h"
#include "route_table.h"
#include "stop_signal.h"

namespace {

// HttpConnection: the state machine shared by the epoll, poll and uring backends, driven here
// without any socket.

class HttpConnectionTest : public ::testing::Test {
 protected:
  // Everything the connection has to send, reported as sent.
  std::string TakeOutput() {
    std::string out;
    for (std::string_view unsent; !(unsent = connection_.UnsentOutput()).empty();) {
      out += unsent;
      connection_.OutputSent(unsent.size());
    }
    return out;
  }

  RouteCache cache_{RouteCache::Locking::kMutex};
  RouteTables routes_{RouteTables::Publication::kSynchronized};
  StopSignal stop_;
  HttpConnection connection_{cache_, routes_, stop_};
};

const char kHello[] =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nhello\n";

TEST_F(HttpConnectionTest, AnswersACompleteRequestAndWaitsForTheNext) {
  connection_.AppendInput("GET / HTTP/1.1\r\n\r\nGET / HT");
  EXPECT_FALSE(connection_.AnswerRequests(false));
  EXPECT_EQ(TakeOutput(), kHello);
  EXPECT_TRUE(connection_.WantsInput());
  EXPECT_FALSE(connection_.Finished());
  connection_.AppendInput("TP/1.1\r\n\r\n");
  connection_.AnswerRequests(false);
  EXPECT_EQ(TakeOutput(), kHello);
}

TEST_F(HttpConnectionTest, RequestsBehindADelayedReplyWaitForIt) {
  connection_.AppendInput(
      "GET /echo?seq=1 HTTP/1.1\r\n\r\nGET /slow?ms=50 HTTP/1.1\r\n\r\n"
      "GET /echo?seq=2 HTTP/1.1\r\n\r\n");
  EXPECT_EQ(connection_.AnswerRequests(false), std::chrono::milliseconds(50));
  std::string first = TakeOutput();
  EXPECT_TRUE(first.ends_with("\r\n\r\n1")) << first;
  EXPECT_FALSE(connection_.WantsInput());
  EXPECT_FALSE(connection_.AnswerRequests(false));  // Still waiting: nothing more is answered.
  EXPECT_EQ(TakeOutput(), "");
  connection_.ReleaseDelayedReply(false);
  connection_.AnswerRequests(false);
  std::string rest = TakeOutput();
  size_t slow = rest.find("slow\n");
  ASSERT_NE(slow, std::string::npos) << rest;
  EXPECT_TRUE(rest.ends_with("\r\n\r\n2")) << rest;
}

TEST_F(HttpConnectionTest, GarbageIsAnswered400AndEndsTheConnection) {
  connection_.AppendInput("GARBAGE\r\n\r\nGET / HTTP/1.1\r\n\r\n");
  connection_.AnswerRequests(false);
  EXPECT_FALSE(connection_.WantsInput());
  EXPECT_FALSE(connection_.Finished());  // Not before the 400 is sent.
  std::string out = TakeOutput();
  EXPECT_TRUE(out.starts_with("HTTP/1.1 400 ")) << out;
  EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(out.find("hello"), std::string::npos);
  EXPECT_TRUE(connection_.Finished());
}

TEST_F(HttpConnectionTest, InputThatFillsTheBufferWithoutEndingIsRefused) {
  // Leading empty lines, headers and body each within their own limit, but too large together.
  std::string start = std::string(60000, '\n') +
                      "POST / HTTP/1.1\r\nX: " + std::string(60000, 'a') +
                      "\r\nContent-Length: 1048576\r\n\r\n";
  connection_.AppendInput(start);
  EXPECT_FALSE(connection_.AnswerRequests(false));
  EXPECT_TRUE(connection_.WantsInput());
  connection_.AppendInput(std::string(connection_.InputRoom(), 'b'));
  EXPECT_EQ(connection_.InputRoom(), 0u);
  connection_.AnswerRequests(false);
  EXPECT_TRUE(TakeOutput().starts_with("HTTP/1.1 400 "));
  EXPECT_TRUE(connection_.Finished());
}

TEST_F(HttpConnectionTest, OutputHandedOutStaysPutWhileMoreIsAnswered) {
  connection_.AppendInput("GET / HTTP/1.1\r\n\r\n");
  connection_.AnswerRequests(false);
  std::string_view unsent = connection_.UnsentOutput();
  const char* data = unsent.data();
  connection_.OutputSent(10);
  connection_.AppendInput(std::string(1000, '\n') + "GET /echo?seq=9 HTTP/1.1\r\n\r\n");
  connection_.AnswerRequests(false);
  EXPECT_EQ(connection_.UnsentOutput().data(), data + 10);  // The same bytes, not moved.
  EXPECT_EQ(std::string(data, unsent.size()), kHello);
  std::string rest = TakeOutput();
  EXPECT_TRUE(rest.ends_with("\r\n\r\n9")) << rest;
  EXPECT_EQ(connection_.PendingOutput(), 0u);
}

TEST_F(HttpConnectionTest, StopsAnsweringWhileTooMuchOutputWaits) {
  std::string seq(1000, 's');
  std::string request = "GET /echo?seq=" + seq + " HTTP/1.1\r\n\r\n";
  constexpr int kRequests = 1000;  // About 2 MB of replies, more than kMaxOutput.
  for (int i = 0; i < kRequests; ++i) connection_.AppendInput(request);
  connection_.AnswerRequests(false);
  EXPECT_TRUE(connection_.AnswerBlockedByOutput());
  EXPECT_GE(connection_.PendingOutput(), HttpConnection::kMaxOutput);
  EXPECT_FALSE(connection_.WantsInput());
  std::string out;
  int rounds = 1;
  for (; connection_.AnswerBlockedByOutput(); ++rounds) {
    out += TakeOutput();
    connection_.AnswerRequests(false);
  }
  out += TakeOutput();
  EXPECT_GE(rounds, 2);
  EXPECT_TRUE(connection_.WantsInput());
  size_t replies = 0;
  for (size_t at = 0; (at = out.find("X-Seq: ", at)) != std::string::npos; ++at) ++replies;
  EXPECT_EQ(replies, static_cast<size_t>(kRequests));
}

TEST_F(HttpConnectionTest, EndOfInputFinishesOnceTheAnswersAreSent) {
  connection_.AppendInput("GET / HTTP/1.1\r\n\r\nGET /unfinished");
  connection_.EndOfInput();
  connection_.AnswerRequests(false);
  EXPECT_FALSE(connection_.Finished());
  EXPECT_EQ(TakeOutput(), kHello);
  EXPECT_TRUE(connection_.Finished());
}

TEST_F(HttpConnectionTest, StopFinishesTheDelayedReplyWithConnectionClose) {
  connection_.AppendInput("GET /slow?ms=10 HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(connection_.AnswerRequests(false));
  connection_.StopTakingRequests();
  EXPECT_FALSE(connection_.Finished());
  connection_.ReleaseDelayedReply(true);
  connection_.AnswerRequests(true);
  std::string out = TakeOutput();
  EXPECT_NE(out.find("Connection: close\r\n\r\nslow\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("hello"), std::string::npos);  // The pipelined request is not answered.
  EXPECT_TRUE(connection_.Finished());
}

TEST_F(HttpConnectionTest, ShutdownRequestsTheStop) {
  connection_.AppendInput("GET /shutdown HTTP/1.1\r\n\r\n");
  connection_.AnswerRequests(false);
  EXPECT_TRUE(stop_.stop_requested());
  EXPECT_TRUE(TakeOutput().ends_with("bye\n"));
  EXPECT_TRUE(connection_.Finished());
}

}  // namespace
