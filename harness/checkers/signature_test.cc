#include "checkers/signature.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

Failure Crash(nlohmann::json evidence) {
  return {FailureKind::kCrash, "proxy", "proxy was killed", std::move(evidence)};
}

TEST(SignatureTest, ACrashIsNamedByItsStackElseItsTitleElseItsSignal) {
  EXPECT_EQ(FailureSignature(Crash({{"signature", "Proxy::ArmRecv < Proxy::OnRecv"},
                                    {"title", "assertion failed"},
                                    {"signal", "SIGABRT"}})),
            "crash proxy: Proxy::ArmRecv < Proxy::OnRecv");
  EXPECT_EQ(FailureSignature(Crash({{"title", "proxy.cc:201: Assertion `!pending' failed.\nmore"},
                                    {"signal", "SIGABRT"}})),
            "crash proxy: proxy.cc:201: Assertion `!pending' failed.");
  EXPECT_EQ(FailureSignature(Crash({{"signal", "SIGSEGV"}})), "crash proxy: SIGSEGV");
  EXPECT_EQ(FailureSignature(Crash({{"signal", nullptr}, {"exit_code", 3}})),
            "crash proxy: exit 3");
}

// Two runs of the same sanitizer report differ in pid, addresses and sizes only.
TEST(SignatureTest, WhatChangesFromRunToRunIsLeftOut) {
  auto first = Crash({{"title",
                       "==4242==ERROR: AddressSanitizer: heap-use-after-free on address "
                       "0x602000000010 at pc 0x55d1 bp 0x7ffc sp 0x7ffd READ of size 4096"}});
  auto second = Crash({{"title",
                        "==977==ERROR: AddressSanitizer: heap-use-after-free on address "
                        "0x6020000000f0 at pc 0x55e2 bp 0x7ffe sp 0x7fff READ of size 8192"}});
  EXPECT_EQ(FailureSignature(first), FailureSignature(second));
  EXPECT_EQ(FailureSignature(first),
            "crash proxy: ==ERROR: AddressSanitizer: heap-use-after-free on address 0x? at pc "
            "0x? bp 0x? sp 0x? READ of size N");
}

TEST(SignatureTest, HangsByPhaseOthersByKind) {
  Failure hang{FailureKind::kHang, "server", "did not stop", {{"phase", "shutdown"}}};
  Failure mismatch{FailureKind::kMismatch, "", "3 replies differ", {{"count", 3}}};
  Failure errors{FailureKind::kErrors, "", "6 of 40 failed", {{"failed", 6}}};
  EXPECT_EQ(FailureSignature(hang), "hang server: shutdown");
  EXPECT_EQ(FailureSignature(mismatch), "mismatch");
  EXPECT_EQ(FailureSignature(errors), "errors");
  EXPECT_EQ(AttemptSignature({mismatch, hang, mismatch}), "hang server: shutdown + mismatch");
  EXPECT_EQ(AttemptSignature({}), "");
}

TEST(SignatureTest, AHangIsAlsoTheFramesWhereItsThreadsWait) {
  Failure hang{FailureKind::kHang,
               "server",
               "did not answer a liveness probe",
               {{"phase", "serving"}, {"waiting_in", "Loop::Run, Pool::Take"}}};
  EXPECT_EQ(FailureSignature(hang), "hang server: serving; waiting in Loop::Run, Pool::Take");
}

}  // namespace
}  // namespace stampede
