#include "faults/toxics.h"

#include <algorithm>

namespace stampede {

std::vector<std::size_t> SlicePieces(std::size_t length, const ToxicSpec& slicer, SplitMix64& rng) {
  std::vector<std::size_t> pieces;
  const auto variation = static_cast<std::uint64_t>(slicer.size_variation);
  while (length > 0) {
    const auto offset = static_cast<std::int64_t>(rng.Below(2 * variation + 1)) -
                        static_cast<std::int64_t>(variation);
    const auto size =
        static_cast<std::size_t>(std::max<std::int64_t>(1, slicer.average_size + offset));
    pieces.push_back(std::min(size, length));
    length -= pieces.back();
  }
  return pieces;
}

std::chrono::microseconds LatencyFor(const ToxicSpec& latency, SplitMix64& rng) {
  std::int64_t us = std::int64_t{latency.latency_ms} * 1000;
  if (latency.jitter_ms > 0) {
    const auto jitter = static_cast<std::uint64_t>(latency.jitter_ms) * 1000;
    us += static_cast<std::int64_t>(rng.Below(2 * jitter + 1)) - static_cast<std::int64_t>(jitter);
  }
  return std::chrono::microseconds(std::max<std::int64_t>(us, 0));
}

std::chrono::microseconds TransferTime(std::size_t bytes, const ToxicSpec& bandwidth) {
  const double seconds = static_cast<double>(bytes) / (bandwidth.rate_kbps * 1024.0);
  return std::chrono::microseconds(static_cast<std::int64_t>(seconds * 1e6));
}

bool Applies(const ToxicSpec& toxic, SplitMix64& rng) {
  return toxic.toxicity >= 1.0 || rng.Unit() < toxic.toxicity;
}

}  // namespace stampede
