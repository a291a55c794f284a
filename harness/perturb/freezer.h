// Freezer: stops the targets' process groups (SIGSTOP) for short spans and lets them go on
// (SIGCONT). Part of a run's schedule perturbation (perturbation.h):
//   - random freezes: on average `freezes_per_s` a second (exponential gaps, seeded), each
//     `freeze_ms` long, of every group at once; a thread frozen between two steps of a race
//     widens its window far beyond what scheduling alone gives;
//   - a CPU quota: the groups run `cpu_quota_percent` of every kQuotaPeriodMs and are stopped for
//     the rest (a SIGSTOP duty cycle: it works without cgroups, and throttles at the same
//     instants as a CFS quota would, at the period's end).
// Each freeze is an operation of the nemesis stream with client kPerturbationClient (the first
// kMaxRecordedFreezes of them; the rest are counted); the quota is one operation from start to
// stop.
//
// Threading: Started/Released come from the thread that owns the targets; the freezer's own
// thread sends the signals; both under one mutex. A group is running when Released returns and
// is never signalled again, so a stop request or a debugger finds it running.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/splitmix.h"
#include "history/history.h"
#include "supervisor/group_observer.h"

namespace stampede {

struct FreezeOptions {
  int freezes_per_s = 0;  // 0: no random freezes
  int freeze_ms = 5;
  int cpu_quota_percent = 100;  // 100: no quota
  std::uint64_t seed = 0;

  bool active() const { return freezes_per_s > 0 || cpu_quota_percent < 100; }
};

class Freezer : public GroupObserver {
 public:
  static constexpr std::int64_t kQuotaPeriodMs = 20;
  static constexpr std::size_t kMaxRecordedFreezes = 1000;

  // Starts the freezer's thread; operations go to `writer` (times relative to `origin_ns`).
  Freezer(const FreezeOptions& options, HistoryWriter& writer, std::int64_t origin_ns);
  ~Freezer() override { Stop(); }
  Freezer(const Freezer&) = delete;
  Freezer& operator=(const Freezer&) = delete;

  void Started(const std::string& name, int pgid) override;
  void Released(int pgid) override;

  // Continues every group, stops the thread; later Started/Released calls do nothing.
  void Stop();
  // The operations recorded (freezes and the quota), for the run's history.
  std::vector<Operation> TakeOps();
  // The verdict's figures: freezes, frozen_ms (of random freezes), throttled_ms (quota).
  nlohmann::json Describe() const;

 private:
  void Loop(const std::stop_token& stop);
  // Stops or continues every group as `stopped` asks; requires mutex_.
  void SetStopped(bool stopped);
  void RecordOp(OpType type, std::int64_t seq, const std::string& what);  // requires mutex_
  std::string GroupNames() const;                                         // requires mutex_

  const FreezeOptions options_;
  HistoryWriter& writer_;
  const std::int64_t origin_ns_;
  mutable std::mutex mutex_;
  std::condition_variable_any wake_;
  std::map<int, std::string> groups_;  // pgid -> target name; guarded by mutex_
  bool stopped_ = false;               // the groups are stopped now; guarded by mutex_
  bool finished_ = false;              // guarded by mutex_
  std::vector<Operation> ops_;         // guarded by mutex_
  std::int64_t freezes_ = 0;           // guarded by mutex_
  std::int64_t frozen_ns_ = 0;         // guarded by mutex_
  std::int64_t throttled_ns_ = 0;      // guarded by mutex_
  std::jthread thread_;
};

}  // namespace stampede
