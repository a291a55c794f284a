#include "workloads/rpc_session.h"

#include <gtest/gtest.h>

#include "checkers/mismatch_checker.h"
#include "protocols/rpc_frame.h"

namespace stampede {
namespace {

// Callers 0, 1 and 2 on connection 5, payloads of 8 bytes: "n/5/SEQ."
class RpcSessionTest : public testing::Test {
 protected:
  RpcSessionTest() {
    spec_.payload_bytes = 8;
    spec_.calls = 2;
    spec_.methods = {rpc::kEcho};
  }
  RpcSession& Make() {
    session_ = std::make_unique<RpcSession>(spec_, 5, std::vector<int>{0, 1, 2}, "n", recorder_,
                                            progress_);
    return *session_;
  }
  static std::string Reply(std::uint32_t seq, std::string payload,
                           std::uint16_t flags = rpc::kFlagReply) {
    std::string out;
    rpc::AppendFrame({seq, rpc::kEcho, flags, std::move(payload)}, out);
    return out;
  }
  std::vector<Operation> Completions() {
    for (auto& op : recorder_.Take()) all_.push_back(std::move(op));
    std::vector<Operation> completions;
    for (const auto& op : all_) {
      if (op.type != OpType::kInvoke) completions.push_back(op);
    }
    return completions;
  }
  std::optional<Failure> Mismatch() {
    Completions();
    History history;
    history.MergeOps(all_);
    return CheckMismatches(history);
  }

  RpcSpec spec_;
  HistoryWriter writer_;
  OpRecorder recorder_{writer_, 0};
  WorkloadProgress progress_;
  std::unique_ptr<RpcSession> session_;
  std::vector<Operation> all_;
};

TEST_F(RpcSessionTest, EachCallerHasOneCallInFlight) {
  auto& session = Make();
  std::string out;
  session.Produce(0, out);
  std::string expected;
  for (std::uint32_t seq = 1; seq <= 3; ++seq) {
    rpc::AppendFrame({seq, rpc::kEcho, 0, "n/5/" + std::to_string(seq) + "..."}, expected);
  }
  EXPECT_EQ(out, expected);
  EXPECT_EQ(progress_.in_flight.load(), 3);
  out.clear();
  session.Produce(0, out);
  EXPECT_TRUE(out.empty());  // every caller waits for its reply
}

TEST_F(RpcSessionTest, OutOfOrderButCorrectRepliesAreNotMismatches) {
  auto& session = Make();
  std::string out;
  session.Produce(0, out);
  ASSERT_TRUE(session.Consume(Reply(3, "n/5/3...") + Reply(1, "n/5/1...")).ok());
  out.clear();
  session.Produce(0, out);  // callers 2 and 0 call again: seqs 4 and 5
  ASSERT_TRUE(
      session.Consume(Reply(5, "n/5/5...") + Reply(2, "n/5/2...") + Reply(4, "n/5/4...")).ok());
  session.Produce(0, out);
  ASSERT_TRUE(session.Consume(Reply(6, "n/5/6...")).ok());
  EXPECT_TRUE(session.Finished());
  EXPECT_FALSE(Mismatch().has_value());
  auto completions = Completions();
  ASSERT_EQ(completions.size(), 6u);
  EXPECT_EQ(completions[0].client, 2);  // seq 3 was caller 2's
  EXPECT_EQ(completions[0].expected, "seq=3 n/5/3...");
  EXPECT_EQ(completions[0].got, "seq=3 n/5/3...");
}

TEST_F(RpcSessionTest, AReplyStampedWithAnotherCallsSeqShowsBothNumbers) {
  auto& session = Make();
  std::string out;
  session.Produce(0, out);
  ASSERT_TRUE(session.Consume(Reply(2, "n/5/1...")).ok());  // call 1's answer, stamped 2
  auto mismatch = Mismatch();
  ASSERT_TRUE(mismatch.has_value());
  const auto& first = mismatch->evidence["first"][0];
  EXPECT_EQ(first["connection"], 5);
  EXPECT_EQ(first["seq"], 1);
  EXPECT_EQ(first["expected"], "seq=1 n/5/1...");
  EXPECT_EQ(first["got"], "seq=2 n/5/1...");
}

TEST_F(RpcSessionTest, WrongContentForAKnownSeqIsAMismatch) {
  auto& session = Make();
  std::string out;
  session.Produce(0, out);
  ASSERT_TRUE(session.Consume(Reply(1, "something else")).ok());
  auto mismatch = Mismatch();
  ASSERT_TRUE(mismatch.has_value());
  EXPECT_EQ(mismatch->evidence["first"][0]["got"], "seq=1 something else");
}

TEST_F(RpcSessionTest, UnknownAndRepeatedSequencesAreRepliesToNobody) {
  auto& session = Make();
  std::string out;
  session.Produce(0, out);
  ASSERT_TRUE(session.Consume(Reply(1, "n/5/1...") + Reply(1, "n/5/1...") + Reply(99, "x")).ok());
  auto completions = Completions();
  ASSERT_EQ(completions.size(), 3u);
  EXPECT_EQ(completions[1].expected, "(seq 1 already answered)");
  EXPECT_EQ(completions[2].expected, "(no call in flight with seq 99)");
  EXPECT_EQ(completions[2].got, "seq=99 x");
  EXPECT_EQ(Mismatch()->evidence["count"], 2);
}

TEST_F(RpcSessionTest, AnErrorReplyIsAMismatchCarryingTheMessage) {
  auto& session = Make();
  std::string out;
  session.Produce(0, out);
  ASSERT_TRUE(
      session.Consume(Reply(1, "unknown method 9", rpc::kFlagReply | rpc::kFlagError)).ok());
  EXPECT_EQ(Completions()[0].got, "seq=1 error: unknown method 9");
}

TEST_F(RpcSessionTest, GarbageAndRequestFramesAreProtocolErrors) {
  auto& session = Make();
  std::string out;
  session.Produce(0, out);
  auto garbage = session.Consume("HTTP/1.1 200 OK\r\n\r\n");
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.error().message.find("frame length"), std::string::npos);
  auto request = session.Consume(Reply(1, "n/5/1...", 0));
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.error().message, "frame seq 1 without the reply flag");
}

TEST_F(RpcSessionTest, AbandonFailsEveryCallInFlight) {
  auto& session = Make();
  std::string out;
  session.Produce(0, out);
  ASSERT_TRUE(session.Consume(Reply(2, "n/5/2...")).ok());
  session.Abandon(OpType::kInfo, "no reply within 5000 ms");
  auto completions = Completions();
  ASSERT_EQ(completions.size(), 3u);
  EXPECT_EQ(completions[1].seq, 1);
  EXPECT_EQ(completions[1].type, OpType::kInfo);
  EXPECT_EQ(completions[2].seq, 3);
  EXPECT_EQ(progress_.in_flight.load(), 0);
  EXPECT_FALSE(Mismatch().has_value());
}

TEST_F(RpcSessionTest, MethodsApplyToTheExpectedReply) {
  spec_.methods = {rpc::kReverse};
  auto& session = Make();
  std::string out;
  session.Produce(0, out);
  ASSERT_TRUE(session.Consume(Reply(1, "...1/5/n")).ok());
  EXPECT_EQ(Completions()[0].expected, "seq=1 ...1/5/n");
  EXPECT_FALSE(Mismatch().has_value());
}

}  // namespace
}  // namespace stampede
