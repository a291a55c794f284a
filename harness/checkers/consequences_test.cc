#include "checkers/consequences.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

Failure Crash(std::int64_t at_ms, const std::string& phase = "running") {
  return {FailureKind::kCrash,
          "proxy",
          "proxy was killed by SIGABRT",
          {{"phase", phase}, {"time_ms", at_ms}, {"signal", 6}}};
}

Failure Errors(std::int64_t first_ms, std::int64_t failed = 6) {
  return {FailureKind::kErrors,
          "",
          "6 of 40 operations failed",
          {{"failed", failed}, {"completed", 40}, {"first", {{{"time_ms", first_ms}}}}}};
}

Failure NeverAnswered() {
  return {FailureKind::kHang,
          "",
          "4 requests completed; none was ever answered",
          {{"phase", "serving"},
           {"timed_out", 0},
           {"completed", 4},
           {"first", nlohmann::json::array()}}};
}

Failure Stall(std::int64_t from_ms) {
  return {FailureKind::kHang,
          "",
          "no operation completed for 2000 ms",
          {{"phase", "serving"}, {"from_ms", from_ms}, {"outstanding", 12}}};
}

std::vector<std::string> Kinds(const std::vector<Failure>& failures) {
  std::vector<std::string> kinds;
  for (const auto& failure : failures) kinds.push_back(ToString(failure.kind));
  return kinds;
}

TEST(ConsequencesTest, ErrorsAndHangsAfterACrashAreAttachedToItWithCounts) {
  auto failures = AttachConsequences({Crash(100), Errors(101), NeverAnswered(), Stall(150)});
  ASSERT_EQ(Kinds(failures), std::vector<std::string>{"crash"});
  const auto& consequences = failures[0].consequences;
  ASSERT_EQ(consequences.size(), 3u);
  EXPECT_EQ(consequences[0]["kind"], "errors");
  EXPECT_EQ(consequences[0]["count"], 6);
  EXPECT_EQ(consequences[0]["evidence"]["failed"], 6) << "the evidence is kept";
  EXPECT_EQ(consequences[1]["kind"], "hang");
  EXPECT_EQ(consequences[1]["count"], 4) << "never answered: the requests completed";
  EXPECT_EQ(consequences[2]["count"], 12) << "a stall: the requests outstanding";
  EXPECT_EQ(nlohmann::json(failures[0])["consequences"].size(), 3u);
}

TEST(ConsequencesTest, AFailureThatBeganBeforeTheCrashStandsOnItsOwn) {
  auto failures = AttachConsequences({Errors(2999), Crash(5000), Stall(2000)});
  EXPECT_EQ(Kinds(failures), (std::vector<std::string>{"errors", "crash", "hang"}));
  EXPECT_TRUE(failures[1].consequences.empty());
  EXPECT_FALSE(nlohmann::json(failures[1]).contains("consequences"));
}

// The clients see the connections drop as the process dies; its exit is seen only once its
// core is written, up to seconds later.
TEST(ConsequencesTest, ErrorsSeenWhileTheCoreWasWrittenAreConsequences) {
  auto failures = AttachConsequences({Crash(513), Errors(59)});
  ASSERT_EQ(Kinds(failures), std::vector<std::string>{"crash"});
  EXPECT_EQ(failures[0].consequences.size(), 1u);
}

TEST(ConsequencesTest, TheEarliestCrashWhileServingIsTheRoot) {
  auto failures = AttachConsequences({Crash(3300), Crash(3200, "startup"), Errors(3250)});
  ASSERT_EQ(Kinds(failures), (std::vector<std::string>{"crash", "crash"}));
  EXPECT_TRUE(failures[0].consequences.empty());
  EXPECT_EQ(failures[1].consequences.size(), 1u);
}

TEST(ConsequencesTest, CrashesInShutdownOrInACycleAreNoRoot) {
  auto in_shutdown = AttachConsequences({Crash(100, "shutdown"), Errors(200)});
  EXPECT_EQ(Kinds(in_shutdown), (std::vector<std::string>{"crash", "errors"}));
  Failure in_cycle = Crash(100);
  in_cycle.evidence["cycle"] = 3;
  EXPECT_EQ(Kinds(AttachConsequences({in_cycle, Errors(200)})),
            (std::vector<std::string>{"crash", "errors"}));
}

// A client under test that crashed never sent the rest of its requests; a server's crash does
// not explain a client's short count, nor a crash a count above the expected one.
TEST(ConsequencesTest, AShortRequestCountIsAConsequenceOnlyOfACrashedClient) {
  auto short_count = [](std::int64_t seen) {
    return Failure{FailureKind::kErrors,
                   "",
                   "the fixture saw some requests, expected 200",
                   {{"expected", 200}, {"seen", seen}}};
  };
  Failure client = Crash(900);
  client.evidence["role"] = "client";
  auto failures = AttachConsequences({client, short_count(61)});
  ASSERT_EQ(Kinds(failures), std::vector<std::string>{"crash"});
  EXPECT_EQ(failures[0].consequences[0]["count"], 200 - 61);
  EXPECT_EQ(Kinds(AttachConsequences({client, short_count(201)})),
            (std::vector<std::string>{"crash", "errors"}));
  EXPECT_EQ(Kinds(AttachConsequences({Crash(900), short_count(61)})),
            (std::vector<std::string>{"crash", "errors"}));
}

TEST(ConsequencesTest, MismatchesTargetsHangsAndTheRunTimeoutAreNeverConsequences) {
  Failure mismatch{FailureKind::kMismatch, "", "3 replies differ", {{"count", 3}}};
  Failure target_hang{
      FailureKind::kHang, "backend", "backend did not exit", {{"phase", "shutdown"}}};
  Failure run_timeout{FailureKind::kHang, "", "the run did not finish", {{"phase", "workload"}}};
  auto failures = AttachConsequences({Crash(100), mismatch, target_hang, run_timeout});
  EXPECT_EQ(Kinds(failures), (std::vector<std::string>{"crash", "mismatch", "hang", "hang"}));
  EXPECT_TRUE(failures[0].consequences.empty());
}

}  // namespace
}  // namespace stampede
