#include <gtest/gtest.h>
#include <poll.h>

#include <set>
#include <string>
#include <vector>

#include "call.h"
#include "protocols/rpc_frame.h"
#include "worker_pool.h"

namespace rpc = stampede::rpc;

namespace {

rpc::Frame Request(std::uint32_t seq, std::uint16_t method, std::string payload) {
  return rpc::Frame{seq, method, 0, std::move(payload)};
}

void NoWork() {}

TEST(ServeCall, AppliesTheMethodAndKeepsTheSeq) {
  rpc::Frame reply = ServeCall(Request(7, rpc::kReverse, "abc"), BugMode::kNone, NoWork);
  EXPECT_EQ(reply.seq, 7u);
  EXPECT_EQ(reply.method, rpc::kReverse);
  EXPECT_EQ(reply.flags, rpc::kFlagReply);
  EXPECT_EQ(reply.payload, "cba");
  EXPECT_EQ(ServeCall(Request(8, rpc::kUpper, "aZ-q"), BugMode::kNone, NoWork).payload, "AZ-Q");
}

TEST(ServeCall, UnknownMethodIsAnErrorReply) {
  rpc::Frame reply = ServeCall(Request(9, 42, "x"), BugMode::kNone, NoWork);
  EXPECT_EQ(reply.seq, 9u);
  EXPECT_EQ(reply.method, 42);
  EXPECT_EQ(reply.flags, rpc::kFlagReply | rpc::kFlagError);
  EXPECT_EQ(reply.payload, "unknown method 42");
}

// Two overlapping calls, made deterministic: call 2 starts while call 1 is "processing".
rpc::Frame OverlappedCall(BugMode bug, rpc::Frame* inner) {
  return ServeCall(Request(1, rpc::kEcho, "first"), bug,
                   [&] { *inner = ServeCall(Request(2, rpc::kEcho, "second"), bug, NoWork); });
}

TEST(ServeCall, OverlappingCallsKeepTheirOwnSeq) {
  rpc::Frame inner;
  rpc::Frame outer = OverlappedCall(BugMode::kNone, &inner);
  EXPECT_EQ(outer.seq, 1u);
  EXPECT_EQ(inner.seq, 2u);
}

TEST(ServeCall, StaticSeqStampsTheLastStartedCall) {
  rpc::Frame inner;
  rpc::Frame outer = OverlappedCall(BugMode::kStaticSeq, &inner);
  EXPECT_EQ(outer.seq, 2u);           // The bug: call 1's reply carries call 2's seq...
  EXPECT_EQ(outer.payload, "first");  // ...with call 1's payload.
  EXPECT_EQ(inner.seq, 2u);
}

TEST(ServeCall, StaticSeqIsRightOneCallAtATime) {
  for (std::uint32_t seq = 100; seq < 110; ++seq) {
    EXPECT_EQ(ServeCall(Request(seq, rpc::kEcho, "x"), BugMode::kStaticSeq, NoWork).seq, seq);
  }
}

TEST(WorkerPool, AnswersEveryJobThroughTheCompletionQueue) {
  CompletionQueue completions;
  std::string error;
  ASSERT_TRUE(completions.Open(&error)) << error;
  WorkerPool pool(4, 50, BugMode::kNone, &completions);
  ASSERT_TRUE(pool.Start(&error)) << error;
  constexpr std::uint32_t kJobs = 200;
  for (std::uint32_t seq = 0; seq < kJobs; ++seq) {
    pool.Submit(Job{16 + seq % 2, Request(seq, rpc::kUpper, "job" + std::to_string(seq))});
  }
  std::set<std::uint32_t> answered;
  while (answered.size() < kJobs) {
    pollfd wait{completions.event_fd(), POLLIN, 0};
    ASSERT_EQ(poll(&wait, 1, 5000), 1) << "no completion within 5 s";
    for (const Completion& completion : completions.TakeAll()) {
      rpc::DecodeResult decoded = rpc::DecodeFrame(completion.reply);
      ASSERT_EQ(decoded.status, rpc::DecodeStatus::kFrame);
      EXPECT_EQ(decoded.consumed, completion.reply.size());
      EXPECT_EQ(completion.connection, 16 + decoded.frame.seq % 2);
      EXPECT_EQ(decoded.frame.payload, "JOB" + std::to_string(decoded.frame.seq));
      EXPECT_EQ(completion.request_bytes, decoded.frame.payload.size());
      EXPECT_TRUE(answered.insert(decoded.frame.seq).second) << "answered twice";
    }
  }
  pool.Stop();
  EXPECT_TRUE(completions.TakeAll().empty());
}

TEST(WorkerPool, SubmitAfterStopIsIgnored) {
  CompletionQueue completions;
  std::string error;
  ASSERT_TRUE(completions.Open(&error)) << error;
  WorkerPool pool(2, 0, BugMode::kNone, &completions);
  ASSERT_TRUE(pool.Start(&error)) << error;
  pool.Stop();
  pool.Submit(Job{16, Request(1, rpc::kEcho, "late")});
  pollfd wait{completions.event_fd(), POLLIN, 0};
  EXPECT_EQ(poll(&wait, 1, 50), 0);
  EXPECT_TRUE(completions.TakeAll().empty());
}

}  // namespace
