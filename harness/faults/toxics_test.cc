#include "faults/toxics.h"

#include <gtest/gtest.h>

#include <numeric>

namespace stampede {
namespace {

TEST(ToxicsTest, SlicesSumToTheChunkAndStayWithinTheVariation) {
  ToxicSpec slicer;
  slicer.type = ToxicType::kSlicer;
  slicer.average_size = 5;
  slicer.size_variation = 2;
  SplitMix64 rng(7);
  for (std::size_t length : {1u, 4u, 5u, 100u, 16384u}) {
    auto pieces = SlicePieces(length, slicer, rng);
    EXPECT_EQ(std::accumulate(pieces.begin(), pieces.end(), std::size_t{0}), length);
    for (std::size_t i = 0; i + 1 < pieces.size(); ++i) {  // the last one may be shorter
      EXPECT_GE(pieces[i], 3u);
      EXPECT_LE(pieces[i], 7u);
    }
  }
  SplitMix64 a(42), b(42);
  EXPECT_EQ(SlicePieces(1000, slicer, a), SlicePieces(1000, slicer, b));
}

TEST(ToxicsTest, LatencyStaysWithinItsJitterAndTransferTimeFollowsTheRate) {
  ToxicSpec latency;
  latency.latency_ms = 10;
  latency.jitter_ms = 4;
  SplitMix64 rng(1);
  std::int64_t low = INT64_MAX, high = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto us = LatencyFor(latency, rng).count();
    low = std::min(low, us);
    high = std::max(high, us);
  }
  EXPECT_GE(low, 6000);
  EXPECT_LE(high, 14000);
  EXPECT_LT(low, 7000);  // the whole range is used
  EXPECT_GT(high, 13000);
  latency.latency_ms = 1;
  latency.jitter_ms = 5;
  EXPECT_GE(LatencyFor(latency, rng).count(), 0);
  ToxicSpec bandwidth;
  bandwidth.rate_kbps = 2;
  EXPECT_EQ(TransferTime(1024, bandwidth).count(), 500000);
}

TEST(ToxicsTest, ToxicityPicksThatFractionOfConnections) {
  ToxicSpec toxic;
  toxic.toxicity = 0.25;
  SplitMix64 rng(3);
  int applied = 0;
  for (int i = 0; i < 10000; ++i) applied += Applies(toxic, rng);
  EXPECT_NEAR(applied, 2500, 200);
  toxic.toxicity = 0.0;
  EXPECT_FALSE(Applies(toxic, rng));
  toxic.toxicity = 1.0;
  EXPECT_TRUE(Applies(toxic, rng));
}

}  // namespace
}  // namespace stampede
