#include "checkers/latency_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace stampede {
namespace {

// Nearest-rank percentile of sorted values: the smallest v with at least p% of values <= v.
std::int64_t ReferencePercentile(const std::vector<std::int64_t>& sorted, double p) {
  if (p <= 0) return sorted.front();
  const double exact_rank = p / 100.0 * static_cast<double>(sorted.size());
  auto rank = static_cast<std::size_t>(std::ceil(exact_rank - 1e-9));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

// Latencies spread log-uniformly over 1 us .. 100 s, like a mix of fast and stuck requests.
std::vector<std::int64_t> RandomLatencies(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> exponent(0.0, 8.0);
  std::vector<std::int64_t> values(n);
  for (auto& value : values) value = static_cast<std::int64_t>(std::pow(10.0, exponent(rng)));
  return values;
}

void ExpectWithinPrecision(std::int64_t actual, std::int64_t expected, double p) {
  const double tolerance = std::max(1.0, static_cast<double>(expected) * 0.005);
  EXPECT_NEAR(static_cast<double>(actual), static_cast<double>(expected), tolerance)
      << "percentile " << p;
}

TEST(LatencyHistogramTest, EmptyHistogram) {
  LatencyHistogram histogram;
  EXPECT_EQ(histogram.Count(), 0u);
  EXPECT_EQ(histogram.Percentile(50), 0);
  EXPECT_EQ(histogram.Min(), 0);
  EXPECT_EQ(histogram.Max(), 0);
  EXPECT_EQ(histogram.Mean(), 0.0);
}

TEST(LatencyHistogramTest, SmallValuesAreExact) {
  LatencyHistogram histogram;
  for (std::int64_t us = 0; us < 256; ++us) histogram.Record(us);
  EXPECT_EQ(histogram.Count(), 256u);
  EXPECT_EQ(histogram.Percentile(50), 127);
  EXPECT_EQ(histogram.Percentile(100.0 * 200 / 256), 199);
  EXPECT_EQ(histogram.Min(), 0);
  EXPECT_EQ(histogram.Max(), 255);
  EXPECT_DOUBLE_EQ(histogram.Mean(), 127.5);
}

TEST(LatencyHistogramTest, MinAndMaxAreExact) {
  LatencyHistogram histogram;
  histogram.Record(1'000'003);
  histogram.Record(123'457);
  EXPECT_EQ(histogram.Min(), 123'457);
  EXPECT_EQ(histogram.Max(), 1'000'003);
  EXPECT_EQ(histogram.Percentile(0), 123'457);
  EXPECT_EQ(histogram.Percentile(100), 1'000'003);
  EXPECT_EQ(histogram.Percentile(-5), 123'457);
  EXPECT_EQ(histogram.Percentile(250), 1'000'003);
}

TEST(LatencyHistogramTest, PercentileIsWithinBucketPrecision) {
  LatencyHistogram histogram;
  histogram.Record(1'000'000);
  histogram.Record(1'000'000);
  histogram.Record(5'000'000);
  ExpectWithinPrecision(histogram.Percentile(50), 1'000'000, 50);
  ExpectWithinPrecision(histogram.Percentile(90), 5'000'000, 90);
}

TEST(LatencyHistogramTest, PercentileIsClampedToExactExtremes) {
  LatencyHistogram histogram;
  histogram.Record(1'000'000);
  histogram.Record(1'000'001);
  // Both values share a bucket whose midpoint lies above them; the answer is clamped to Max().
  EXPECT_EQ(histogram.Percentile(50), 1'000'001);
}

TEST(LatencyHistogramTest, OutOfRangeValuesAreClampedAndCounted) {
  LatencyHistogram histogram;
  histogram.Record(-3);
  histogram.Record(10);
  histogram.Record(2 * LatencyHistogram::kMaxTrackableUs);
  EXPECT_EQ(histogram.Count(), 3u);
  EXPECT_EQ(histogram.Clamped(), 2u);
  EXPECT_EQ(histogram.Min(), -3);
  EXPECT_EQ(histogram.Max(), 2 * LatencyHistogram::kMaxTrackableUs);
  EXPECT_EQ(histogram.Percentile(34), 10);
  ExpectWithinPrecision(histogram.Percentile(90), LatencyHistogram::kMaxTrackableUs, 90);
}

TEST(LatencyHistogramTest, LargestTrackableValueFits) {
  LatencyHistogram histogram;
  histogram.Record(LatencyHistogram::kMaxTrackableUs);
  EXPECT_EQ(histogram.Clamped(), 0u);
  EXPECT_EQ(histogram.Percentile(50), LatencyHistogram::kMaxTrackableUs);
}

TEST(LatencyHistogramTest, MatchesSortedReferenceOnRandomData) {
  std::vector<std::int64_t> values = RandomLatencies(100'000, 42);
  LatencyHistogram histogram;
  for (std::int64_t value : values) histogram.Record(value);
  std::sort(values.begin(), values.end());

  for (double p : {0.0, 0.1, 1.0, 7.0, 10.0, 25.0, 50.0, 75.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
    ExpectWithinPrecision(histogram.Percentile(p), ReferencePercentile(values, p), p);
  }
  EXPECT_EQ(histogram.Min(), values.front());
  EXPECT_EQ(histogram.Max(), values.back());
  EXPECT_EQ(histogram.Clamped(), 0u);
}

TEST(LatencyHistogramTest, MergeEqualsRecordingEverything) {
  const std::vector<std::int64_t> first = RandomLatencies(5'000, 1);
  const std::vector<std::int64_t> second = RandomLatencies(7'000, 2);
  LatencyHistogram a, b, all;
  for (std::int64_t value : first) a.Record(value), all.Record(value);
  for (std::int64_t value : second) b.Record(value), all.Record(value);

  a.Merge(b);

  EXPECT_EQ(a.Count(), all.Count());
  EXPECT_EQ(a.Min(), all.Min());
  EXPECT_EQ(a.Max(), all.Max());
  EXPECT_DOUBLE_EQ(a.Mean(), all.Mean());
  for (double p : {1.0, 50.0, 90.0, 99.0}) EXPECT_EQ(a.Percentile(p), all.Percentile(p));
}

TEST(LatencyHistogramTest, MergeIntoEmptyAndFromEmpty) {
  LatencyHistogram empty, one;
  one.Record(500);
  LatencyHistogram target;
  target.Merge(one);
  target.Merge(empty);
  EXPECT_EQ(target.Count(), 1u);
  EXPECT_EQ(target.Min(), 500);
  EXPECT_EQ(target.Max(), 500);
}

}  // namespace
}  // namespace stampede
