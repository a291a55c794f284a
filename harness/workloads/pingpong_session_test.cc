#include "workloads/pingpong_session.h"

#include <gtest/gtest.h>

#include "checkers/mismatch_checker.h"
#include "protocols/resp_reply.h"

namespace stampede {
namespace {

std::string Bulk(const std::string& text) {
  return "$" + std::to_string(text.size()) + "\r\n" + text + "\r\n";
}

// A session with its own recorder; `ops()` is everything recorded so far.
class SessionTest : public testing::Test {
 protected:
  PingPongSession& Make(PingPongSpec spec) {
    spec_ = std::move(spec);
    session_ = std::make_unique<PingPongSession>(spec_, 3, "n", recorder_, progress_);
    return *session_;
  }
  std::vector<Operation> ops() {
    auto taken = recorder_.Take();
    all_.insert(all_.end(), taken.begin(), taken.end());
    return all_;
  }
  History history() {
    History h;
    h.MergeOps(ops());
    return h;
  }

  HistoryWriter writer_;
  OpRecorder recorder_{writer_, 0};
  WorkloadProgress progress_;
  PingPongSpec spec_;
  std::unique_ptr<PingPongSession> session_;
  std::vector<Operation> all_;
};

TEST_F(SessionTest, StrictPingPongSendsOneRequestAtATime) {
  auto& session = Make({.requests = 3});
  std::string out;
  session.Produce(0, out);
  EXPECT_EQ(out, "*2\r\n$4\r\nPING\r\n$5\r\nn:3:0\r\n");
  session.Produce(0, out);  // still waiting for the reply
  EXPECT_EQ(out.size(), 25u);
  ASSERT_EQ(session.Consume(Bulk("n:3:0")).value(), 11u);
  out.clear();
  session.Produce(0, out);
  EXPECT_EQ(out, "*2\r\n$4\r\nPING\r\n$5\r\nn:3:1\r\n");
  auto recorded = ops();
  ASSERT_EQ(recorded.size(), 3u);
  EXPECT_EQ(recorded[1].type, OpType::kOk);
  EXPECT_EQ(recorded[1].seq, 0);
  EXPECT_EQ(recorded[1].got, "n:3:0");
  EXPECT_EQ(recorded[1].connection, 3);
  EXPECT_FALSE(CheckMismatches(history()).has_value());
}

TEST_F(SessionTest, PipelineKeepsThatManyInFlightAndMatchesRepliesInOrder) {
  auto& session = Make({.requests = 5, .pipeline = 3});
  std::string out;
  session.Produce(0, out);
  EXPECT_EQ(progress_.in_flight.load(), 3);
  // Two replies in one read, the third split across reads.
  std::string replies = Bulk("n:3:0") + Bulk("n:3:1") + Bulk("n:3:2");
  ASSERT_EQ(session.Consume(replies.substr(0, 26)).value(), 22u);
  ASSERT_EQ(session.Consume(replies.substr(22)).value(), 11u);
  session.Produce(0, out);
  ASSERT_EQ(session.Consume(Bulk("n:3:3") + Bulk("n:3:4")).value(), 22u);
  EXPECT_TRUE(session.Finished());
  EXPECT_FALSE(CheckMismatches(history()).has_value());
  EXPECT_EQ(progress_.done.load(), 5);
}

TEST_F(SessionTest, AnotherConnectionsReplyIsAMismatch) {
  auto& session = Make({.requests = 2});
  std::string out;
  session.Produce(0, out);
  ASSERT_TRUE(session.Consume(Bulk("n:5:0")).ok());
  auto mismatch = CheckMismatches(history());
  ASSERT_TRUE(mismatch.has_value());
  EXPECT_EQ(mismatch->evidence["first"][0]["expected"], "n:3:0");
  EXPECT_EQ(mismatch->evidence["first"][0]["got"], "n:5:0");
  EXPECT_EQ(mismatch->evidence["first"][0]["connection"], 3);
  EXPECT_EQ(mismatch->evidence["first"][0]["seq"], 0);
}

TEST_F(SessionTest, AReplyToNobodyIsAMismatch) {
  auto& session = Make({.requests = 1});
  std::string out;
  session.Produce(0, out);
  ASSERT_TRUE(session.Consume(Bulk("n:3:0") + "+PONG\r\n").ok());
  auto mismatch = CheckMismatches(history());
  ASSERT_TRUE(mismatch.has_value());
  EXPECT_EQ(mismatch->evidence["first"][0]["seq"], -1);
  EXPECT_EQ(mismatch->evidence["first"][0]["expected"], "(no request outstanding)");
  EXPECT_EQ(mismatch->evidence["first"][0]["got"], "PONG");
}

TEST_F(SessionTest, AnErrorReplyIsRecordedAsGot) {
  auto& session = Make({.requests = 1});
  std::string out;
  session.Produce(0, out);
  ASSERT_TRUE(session.Consume("-ERR unknown command\r\n").ok());
  EXPECT_EQ(ops().back().got, "-ERR unknown command");
  EXPECT_TRUE(CheckMismatches(history()).has_value());
}

TEST_F(SessionTest, GarbageIsAnErrorAndConsumesNothing) {
  auto& session = Make({.requests = 1});
  std::string out;
  session.Produce(0, out);
  auto consumed = session.Consume("HTTP/1.1 200 OK\r\n");
  ASSERT_FALSE(consumed.ok());
  EXPECT_NE(consumed.error().message.find("where a reply starts"), std::string::npos);
}

TEST_F(SessionTest, AbandonFailsEveryOutstandingRequest) {
  auto& session = Make({.requests = 10, .pipeline = 4});
  std::string out;
  session.Produce(0, out);
  ASSERT_TRUE(session.Consume(Bulk("n:3:0")).ok());
  session.Abandon(OpType::kFail, "connection reset by peer");
  auto recorded = ops();
  int failed = 0;
  for (const auto& op : recorded) {
    if (op.type != OpType::kFail) continue;
    ++failed;
    EXPECT_EQ(op.error, "connection reset by peer");
  }
  EXPECT_EQ(failed, 3);
  EXPECT_EQ(progress_.errors.load(), 3);
  EXPECT_EQ(progress_.in_flight.load(), 0);
}

TEST_F(SessionTest, AbandonBetweenRequestsStillShowsInTheHistory) {
  auto& session = Make({.requests = 2});
  std::string out;
  session.Produce(0, out);
  ASSERT_TRUE(session.Consume(Bulk("n:3:0")).ok());
  session.Abandon(OpType::kFail, "connection closed by peer");
  auto recorded = ops();
  ASSERT_EQ(recorded.size(), 4u);
  EXPECT_EQ(recorded[2].type, OpType::kInvoke);
  EXPECT_EQ(recorded[3].type, OpType::kFail);
  EXPECT_EQ(recorded[3].seq, 1);
}

TEST_F(SessionTest, SetGetWritesAUniqueKeyAndReadsItBack) {
  auto& session = Make({.mode = PingPongMode::kSetGet, .requests = 2, .pipeline = 2});
  std::string out;
  session.Produce(0, out);
  std::string expected;
  resp::AppendCommand({"SET", "stampede:n:3:0", "v-3-0-n"}, expected);
  resp::AppendCommand({"GET", "stampede:n:3:0"}, expected);
  EXPECT_EQ(out, expected);
  ASSERT_TRUE(session.Consume("+OK\r\n" + Bulk("v-3-0-n")).ok());
  EXPECT_TRUE(session.Finished());
  EXPECT_FALSE(CheckMismatches(history()).has_value());
}

TEST_F(SessionTest, SetGetNoticesAValueThatIsNotTheOneWritten) {
  auto& session = Make({.mode = PingPongMode::kSetGet, .requests = 2, .pipeline = 2});
  std::string out;
  session.Produce(0, out);
  ASSERT_TRUE(session.Consume("+OK\r\n$-1\r\n").ok());
  auto mismatch = CheckMismatches(history());
  ASSERT_TRUE(mismatch.has_value());
  EXPECT_EQ(mismatch->evidence["first"][0]["got"], "(nil)");
}

TEST_F(SessionTest, LineProtocolEchoesLinesAndAcceptsCrlf) {
  auto& session = Make({.protocol = PingPongProtocol::kLine, .requests = 2, .pipeline = 2});
  std::string out;
  session.Produce(0, out);
  EXPECT_EQ(out, "n:3:0\nn:3:1\n");
  EXPECT_EQ(session.Consume("n:3:0\r\nn:3").value(), 7u);
  EXPECT_EQ(session.Consume("n:3:1\n").value(), 6u);
  EXPECT_TRUE(session.Finished());
  EXPECT_FALSE(CheckMismatches(history()).has_value());
}

TEST_F(SessionTest, LineProtocolRejectsEndlessLines) {
  auto& session = Make({.protocol = PingPongProtocol::kLine, .requests = 1});
  std::string out;
  session.Produce(0, out);
  EXPECT_FALSE(session.Consume(std::string(70000, 'x')).ok());
}

TEST_F(SessionTest, PacingSpacesRequestsOnAConnection) {
  auto& session = Make({.requests = 3, .pipeline = 3, .pace_us = 1000});
  std::string out;
  session.Produce(5'000'000, out);
  EXPECT_EQ(progress_.in_flight.load(), 1);
  EXPECT_EQ(session.NextSendNs(), 6'000'000);
  session.Produce(5'500'000, out);
  EXPECT_EQ(progress_.in_flight.load(), 1);
  session.Produce(8'000'000, out);  // late: catches up, within the pipeline
  EXPECT_EQ(progress_.in_flight.load(), 3);
  EXPECT_EQ(session.NextSendNs(), 0);  // nothing left to send
}

TEST_F(SessionTest, OldestOutstandingIsTheFirstUnansweredInvoke) {
  auto& session = Make({.requests = 3, .pipeline = 2});
  std::string out;
  EXPECT_FALSE(session.OldestOutstandingNs().has_value());
  session.Produce(7, out);
  EXPECT_EQ(session.OldestOutstandingNs(), 7);
}

}  // namespace
}  // namespace stampede
