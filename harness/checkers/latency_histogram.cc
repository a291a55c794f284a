#include "checkers/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace stampede {
namespace {

// Each power-of-two range above 2^kSubBits is split into kSubBuckets linear buckets.
constexpr int kSubBits = 7;
constexpr std::int64_t kSubBuckets = std::int64_t{1} << kSubBits;  // 128

// Number of bits the value is shifted right by to find its linear bucket.
int ShiftOf(std::uint64_t value) {
  return std::max(0, static_cast<int>(std::bit_width(value)) - (kSubBits + 1));
}

constexpr std::size_t kBucketCount =
    static_cast<std::size_t>(kSubBuckets) *
    static_cast<std::size_t>(
        std::bit_width(static_cast<std::uint64_t>(LatencyHistogram::kMaxTrackableUs)) - kSubBits +
        1);

}  // namespace

LatencyHistogram::LatencyHistogram() : counts_(kBucketCount, 0) {}

std::size_t LatencyHistogram::BucketOf(std::int64_t us) {
  const auto value = static_cast<std::uint64_t>(us);
  const int shift = ShiftOf(value);
  return static_cast<std::size_t>(shift) * kSubBuckets + (value >> shift);
}

std::int64_t LatencyHistogram::MidpointOf(std::size_t bucket) {
  const auto index = static_cast<std::int64_t>(bucket);
  const std::int64_t shift = std::max<std::int64_t>(0, index / kSubBuckets - 1);
  const std::int64_t lower = (index - shift * kSubBuckets) << shift;
  const std::int64_t width = std::int64_t{1} << shift;
  return lower + width / 2;
}

void LatencyHistogram::Record(std::int64_t us) {
  min_ = count_ == 0 ? us : std::min(min_, us);
  max_ = count_ == 0 ? us : std::max(max_, us);
  sum_ += static_cast<double>(us);
  ++count_;
  if (us < 0 || us > kMaxTrackableUs) ++clamped_;
  ++counts_[BucketOf(std::clamp<std::int64_t>(us, 0, kMaxTrackableUs))];
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = count_ == 0 ? other.max_ : std::max(max_, other.max_);
  sum_ += other.sum_;
  count_ += other.count_;
  clamped_ += other.clamped_;
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
}

std::int64_t LatencyHistogram::Percentile(double p) const {
  if (count_ == 0 || p <= 0.0) return Min();
  if (p >= 100.0) return Max();
  // The epsilon keeps e.g. 7 / 100.0 * 100 = 7.000000000000001 at rank 7, not 8.
  const double exact_rank = p / 100.0 * static_cast<double>(count_);
  const auto rank =
      std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(exact_rank - 1e-9)));
  std::uint64_t seen = 0;
  for (std::size_t bucket = 0; bucket < counts_.size(); ++bucket) {
    seen += counts_[bucket];
    if (seen >= rank) return std::clamp(MidpointOf(bucket), min_, max_);
  }
  return max_;
}

double LatencyHistogram::Mean() const {
  return count_ == 0 ? 0.0 : sum_ / static_cast<double>(count_);
}

}  // namespace stampede
