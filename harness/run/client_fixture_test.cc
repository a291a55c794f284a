#include "run/client_fixture.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

TEST(ClientFixtureTest, EachSeenRequestIsAnInvokeAndItsCompletion) {
  SeenRequest good{1500, 2, 7, "GET", "/echo?seq=7", "7", 200, false, ""};
  SeenRequest bad{2500, 3, 8, "", "", "", 400, false, "request line is not METHOD TARGET"};
  auto ops = FixtureOperations({good, bad}, 500);
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(ops[0].type, OpType::kInvoke);
  EXPECT_EQ(ops[0].time_ns, 1000);
  EXPECT_EQ(ops[0].f, "serve GET /echo");
  EXPECT_EQ(ops[0].client, 2);
  EXPECT_EQ(ops[0].seq, 7);
  EXPECT_EQ(ops[1].type, OpType::kOk);
  EXPECT_EQ(ops[1].got, "200");
  EXPECT_EQ(ops[3].type, OpType::kFail);
  EXPECT_EQ(ops[3].f, "serve (malformed)");
  EXPECT_EQ(ops[3].error, "malformed request: request line is not METHOD TARGET");
}

TEST(ClientFixtureTest, OptionsComeFromTheSpecAndTheSeed) {
  ClientRunSpec spec;
  spec.delay_fraction = 0.25;
  spec.delay_ms = 40;
  spec.fail_fraction = 0.5;
  spec.fail_status = 502;
  auto options = FixtureOptionsFor(spec, 99);
  EXPECT_EQ(options.delay_fraction, 0.25);
  EXPECT_EQ(options.delay_ms, 40);
  EXPECT_EQ(options.fail_fraction, 0.5);
  EXPECT_EQ(options.fail_status, 502);
  EXPECT_EQ(options.seed, 99u);
}

}  // namespace
}  // namespace stampede
