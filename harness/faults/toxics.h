// The arithmetic of the toxics, apart from any socket: how a chunk is sliced, how long a
// chunk waits, whether a toxic applies to a connection. Pure functions of their arguments and
// the generator.
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

#include "core/splitmix.h"
#include "faults/fault_spec.h"

namespace stampede {

// Sizes of the pieces a `length`-byte chunk is cut into by a slicer: each average_size ±
// size_variation (at least 1), summing to `length`.
std::vector<std::size_t> SlicePieces(std::size_t length, const ToxicSpec& slicer, SplitMix64& rng);

// The wait a latency toxic adds to one chunk: latency_ms ± jitter_ms, never negative.
std::chrono::microseconds LatencyFor(const ToxicSpec& latency, SplitMix64& rng);

// The time `bytes` take at the bandwidth toxic's rate.
std::chrono::microseconds TransferTime(std::size_t bytes, const ToxicSpec& bandwidth);

// Whether a toxic of this toxicity applies to a new connection.
bool Applies(const ToxicSpec& toxic, SplitMix64& rng);

}  // namespace stampede
