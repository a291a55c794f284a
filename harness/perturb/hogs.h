// Hogs: threads that compete with the targets for CPUs (a spin loop) or for memory bandwidth
// (streaming through a buffer larger than any cache), for a share of every 10 ms period. Part of
// a run's schedule perturbation (perturbation.h).
//
// Threading: construct and destroy on one thread; busy_ms() may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace stampede {

class Hogs {
 public:
  // Starts `cpu_hogs` + `memory_hogs` threads, busy for `duty_percent` (1..100) of each period;
  // each is pinned to `cpus` when it is not empty.
  Hogs(int cpu_hogs, int memory_hogs, int duty_percent, const std::vector<int>& cpus);
  // Stops and joins every hog (within about one period); later calls do nothing.
  void Stop();
  ~Hogs() { Stop(); }
  Hogs(const Hogs&) = delete;
  Hogs& operator=(const Hogs&) = delete;

  // The time the hogs have spent busy so far, summed over hogs.
  std::int64_t busy_ms() const { return busy_ns_.load(std::memory_order_relaxed) / 1000000; }

  static constexpr std::int64_t kPeriodNs = 10000000;
  static constexpr std::size_t kMemoryHogBytes = 64u << 20;

 private:
  enum class Kind { kCpu, kMemory };
  void Hog(const std::stop_token& stop, Kind kind);

  const std::int64_t busy_per_period_ns_;
  const std::vector<int> cpus_;
  std::atomic<std::int64_t> busy_ns_{0};
  std::vector<std::jthread> threads_;
};

}  // namespace stampede
