#include "perturb/hogs.h"

#include <pthread.h>
#include <sched.h>

#include <chrono>
#include <cstring>
#include <memory>

#include "core/clock.h"

namespace stampede {
namespace {

void PinCurrentThread(const std::vector<int>& cpus) {
  if (cpus.empty()) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : cpus) CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);  // best effort
}

constexpr std::size_t kChunkBytes = 1u << 20;

// Writes a byte in each cache line of the chunk (the CPU reads each line to own it), so the work
// is memory traffic: the buffer is far larger than any cache. Returns the next chunk's offset.
std::size_t StreamChunk(unsigned char* buffer, std::size_t offset) {
  constexpr std::size_t kLine = 64;
  for (std::size_t i = offset; i < offset + kChunkBytes; i += kLine) {
    buffer[i] = static_cast<unsigned char>(i / kLine);
  }
  return (offset + kChunkBytes) % Hogs::kMemoryHogBytes;
}

}  // namespace

Hogs::Hogs(int cpu_hogs, int memory_hogs, int duty_percent, const std::vector<int>& cpus)
    : busy_per_period_ns_(kPeriodNs * duty_percent / 100), cpus_(cpus) {
  for (int i = 0; i < cpu_hogs + memory_hogs; ++i) {
    const Kind kind = i < cpu_hogs ? Kind::kCpu : Kind::kMemory;
    threads_.emplace_back([this, kind](std::stop_token stop) { Hog(stop, kind); });
  }
}

void Hogs::Stop() {
  for (auto& thread : threads_) thread.request_stop();
  threads_.clear();  // joins
}

void Hogs::Hog(const std::stop_token& stop, Kind kind) {
  PinCurrentThread(cpus_);
  std::unique_ptr<unsigned char[]> buffer;
  // Not zeroed: zeroing 64 MiB up front delayed a stop by over a second under TSan.
  if (kind == Kind::kMemory) {
    buffer = std::make_unique_for_overwrite<unsigned char[]>(kMemoryHogBytes);
  }
  std::int64_t period_start = MonotonicNanos();
  std::size_t offset = 0;
  volatile std::uint64_t spins = 0;
  while (!stop.stop_requested()) {
    const std::int64_t busy_until = period_start + busy_per_period_ns_;
    std::int64_t now = MonotonicNanos();
    while (now < busy_until && !stop.stop_requested()) {
      if (kind == Kind::kMemory) {
        offset = StreamChunk(buffer.get(), offset);
      } else {
        for (int i = 0; i < 1000; ++i) spins = spins + 1;
      }
      now = MonotonicNanos();
    }
    busy_ns_.fetch_add(now - period_start, std::memory_order_relaxed);
    period_start += kPeriodNs;
    if (now < period_start) {
      std::this_thread::sleep_for(std::chrono::nanoseconds(period_start - now));
    } else {
      period_start = now;  // the period is used up (a 100% duty, or a late wake-up)
    }
  }
}

}  // namespace stampede
