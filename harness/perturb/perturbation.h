// Schedule perturbation: what a run does to the machine so that races in its targets show more
// often and less dependent on how busy the machine happens to be. A scenario asks for it in
// "perturb"; `stampede run --perturb KEY=VALUE` changes it from the command line.
//
//   - cpus: the targets run on this many CPUs (the last ones stampede itself may use), set
//     between fork and exec, so every thread the target starts inherits it. Threads that share
//     fewer CPUs preempt one another, which opens the windows of lost wake-ups and check-then-act
//     races that parallel threads close too fast to hit.
//   - nice: the targets run at this nice value (setpriority before exec; below 0 needs root or
//     CAP_SYS_NICE). A negative value shields them from the machine's other work, so a race that
//     needs the targets' threads to run at once shows as often on a busy machine as on an idle
//     one.
//   - cpu_hogs / memory_hogs: threads of stampede's that keep CPUs busy (a spin loop) or the
//     memory bus busy (streaming through a 64 MiB buffer) for hog_duty_percent of every 10 ms,
//     started before the first target and stopped after the last one has stopped. Each hog runs
//     on the targets' CPUs when `cpus` is set, else wherever the kernel puts it.
//   - freezes_per_s / freeze_ms: random freezes of the targets' process groups (SIGSTOP, then
//     SIGCONT `freeze_ms` later), on average freezes_per_s a second, from the run's seed.
//   - cpu_quota_percent: the targets run that share of every 20 ms and are stopped for the rest
//     (freezer.h).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace stampede {

class ObjectReader;

struct Perturbation {
  int cpus = 0;  // 0: the targets run wherever stampede may
  int nice = 0;
  int cpu_hogs = 0;
  int memory_hogs = 0;
  int hog_duty_percent = 100;
  int freezes_per_s = 0;
  int freeze_ms = 5;
  int cpu_quota_percent = 100;
  std::vector<std::string> targets;  // the targets cpus, nice and freezes apply to; empty: all

  bool active() const {
    return cpus > 0 || nice != 0 || cpu_hogs > 0 || memory_hogs > 0 || freezes();
  }
  // Whether the targets are stopped now and then (random freezes or a CPU quota).
  bool freezes() const { return freezes_per_s > 0 || cpu_quota_percent < 100; }
  bool AppliesTo(const std::string& target) const;
};

inline constexpr int kMaxHogs = 64;
inline constexpr int kMaxFreezesPerSecond = 1000;
inline constexpr int kMaxFreezeMs = 1000;

// Reads a scenario's "perturb" object (unknown members are left for the reader's Finish()).
Perturbation ReadPerturbation(ObjectReader& reader);

// One command-line setting: "KEY=VALUE" for cpus, nice, cpu_hogs, memory_hogs, hog_duty_percent,
// freezes_per_s, freeze_ms, cpu_quota_percent (integers) or targets (comma-separated names), or
// "none" (no perturbation at all). An InvalidInput names the setting and what is wrong with it.
Status ApplyPerturbSetting(Perturbation& perturbation, const std::string& setting);

// The `count` CPUs the targets get: the highest-numbered of those stampede may run on (its
// affinity mask), so that the lowest, where the kernel tends to start new work, stay for
// stampede. Every allowed CPU when `count` is 0 or at least their number.
std::vector<int> ChooseCpus(int count);

// The verdict's "perturbation": the settings and the CPUs chosen; null when none is active.
nlohmann::json DescribePerturbation(const Perturbation& perturbation, const std::vector<int>& cpus);

}  // namespace stampede
