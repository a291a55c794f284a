// A log-linear histogram of latencies in microseconds (HdrHistogram-style).
//
// Values 0..255 us are counted exactly; above that, every power-of-two range [2^k, 2^(k+1)) is
// split into 128 equal buckets, so a bucket is at most 1/128 of its lower bound wide and a
// reported value (the bucket's midpoint) is within 0.4% of any value in the bucket. Memory is
// fixed (3,328 counters, allocated once), Record is O(1), Percentile is O(buckets).
//
// Trackable range: 0 .. kMaxTrackableUs (one hour). Values outside it are clamped into it and
// counted by Clamped(); Min(), Max() and Mean() still use the exact recorded values.
//
// Not thread-safe: each load thread owns one histogram and they are merged after join.
#pragma once

#include <cstdint>
#include <vector>

namespace stampede {

class LatencyHistogram {
 public:
  static constexpr std::int64_t kMaxTrackableUs = 3'600'000'000;  // one hour

  LatencyHistogram();

  // Counts one value. O(1).
  void Record(std::int64_t us);
  // Adds every value counted by `other`.
  void Merge(const LatencyHistogram& other);

  // The nearest-rank p-th percentile (p in 0..100, clamped): the smallest recorded value v such
  // that at least p% of the values are <= v, within the bucket precision above and clamped to
  // [Min(), Max()]. Percentile(0) is Min(), Percentile(100) is Max(). 0 when empty.
  std::int64_t Percentile(double p) const;

  std::uint64_t Count() const { return count_; }
  std::int64_t Min() const { return count_ == 0 ? 0 : min_; }  // exact; 0 when empty
  std::int64_t Max() const { return count_ == 0 ? 0 : max_; }  // exact; 0 when empty
  double Mean() const;                                         // exact; 0 when empty
  std::uint64_t Clamped() const { return clamped_; }           // values outside the range

 private:
  static std::size_t BucketOf(std::int64_t us);
  static std::int64_t MidpointOf(std::size_t bucket);

  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::uint64_t clamped_ = 0;
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
  double sum_ = 0.0;
};

}  // namespace stampede
