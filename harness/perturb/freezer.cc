#include "perturb/freezer.h"

#include <signal.h>

#include <cmath>
#include <limits>

#include "core/clock.h"

namespace stampede {
namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMillis = 1000000;

// An exponential gap (a Poisson process of `per_s` events a second), at least 1 ms.
std::int64_t NextGapNs(SplitMix64& random, int per_s) {
  const double gap_s = -std::log(1.0 - random.Unit()) / per_s;
  return std::max<std::int64_t>(kMillis, static_cast<std::int64_t>(gap_s * 1e9));
}

}  // namespace

Freezer::Freezer(const FreezeOptions& options, HistoryWriter& writer, std::int64_t origin_ns)
    : options_(options), writer_(writer), origin_ns_(origin_ns) {
  thread_ = std::jthread([this](std::stop_token stop) { Loop(stop); });
}

void Freezer::Started(const std::string& name, int pgid) {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  groups_[pgid] = name;
  if (stopped_) kill(-pgid, SIGSTOP);  // joins a freeze in progress
}

void Freezer::Released(int pgid) {
  std::lock_guard lock(mutex_);
  if (groups_.erase(pgid) > 0 && stopped_) kill(-pgid, SIGCONT);
}

void Freezer::Stop() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

std::vector<Operation> Freezer::TakeOps() {
  std::lock_guard lock(mutex_);
  return std::exchange(ops_, {});
}

nlohmann::json Freezer::Describe() const {
  std::lock_guard lock(mutex_);
  nlohmann::json described = {{"freezes", freezes_},
                              {"frozen_ms", frozen_ns_ / kMillis},
                              {"throttled_ms", throttled_ns_ / kMillis}};
  return described;
}

void Freezer::SetStopped(bool stopped) {
  if (stopped == stopped_) return;
  stopped_ = stopped;
  for (const auto& [pgid, name] : groups_) kill(-pgid, stopped ? SIGSTOP : SIGCONT);
}

void Freezer::RecordOp(OpType type, std::int64_t seq, const std::string& what) {
  Operation op{
      type,          MonotonicNanos() - origin_ns_, kPerturbationClient, -1, seq, what, "", "", "",
      kNemesisStream};
  writer_.Write({op}, 0);
  ops_.push_back(std::move(op));
}

std::string Freezer::GroupNames() const {
  std::string names;
  for (const auto& [pgid, name] : groups_) names += (names.empty() ? "" : ",") + name;
  return names;
}

void Freezer::Loop(const std::stop_token& stop) {
  SplitMix64 random(options_.seed);
  const bool freezes = options_.freezes_per_s > 0;
  const bool quota = options_.cpu_quota_percent < 100;
  const std::int64_t period_ns = kQuotaPeriodMs * kMillis;
  const std::int64_t run_ns = period_ns * options_.cpu_quota_percent / 100;
  std::int64_t now = MonotonicNanos();
  std::int64_t next_freeze = freezes ? now + NextGapNs(random, options_.freezes_per_s) : kNever;
  std::int64_t freeze_start = 0, freeze_end = 0;  // freeze_end 0: not frozen
  std::int64_t freeze_seq = 0;
  std::int64_t period_start = now, last = now;
  bool throttling = false;

  std::unique_lock lock(mutex_);
  if (quota) {
    RecordOp(OpType::kInvoke, freeze_seq,
             "throttle targets to " + std::to_string(options_.cpu_quota_percent) + "% of every " +
                 std::to_string(kQuotaPeriodMs) + " ms");
  }
  while (!stop.stop_requested()) {
    now = MonotonicNanos();
    if (throttling && !groups_.empty()) throttled_ns_ += now - last;
    last = now;
    if (freeze_end == 0 && now >= next_freeze) {
      if (!groups_.empty()) {
        freeze_start = now;
        freeze_end = now + options_.freeze_ms * kMillis;
        if (freezes_++ < static_cast<std::int64_t>(kMaxRecordedFreezes)) {
          RecordOp(OpType::kInvoke, ++freeze_seq,
                   "freeze " + GroupNames() + " for " + std::to_string(options_.freeze_ms) + " ms");
        }
      } else {
        next_freeze = now + NextGapNs(random, options_.freezes_per_s);
      }
    } else if (freeze_end != 0 && now >= freeze_end) {
      frozen_ns_ += now - freeze_start;
      if (freezes_ <= static_cast<std::int64_t>(kMaxRecordedFreezes)) {
        RecordOp(OpType::kOk, freeze_seq, "freeze");
      }
      freeze_end = 0;
      next_freeze = now + NextGapNs(random, options_.freezes_per_s);
    }
    std::int64_t next_edge = kNever;
    if (quota) {
      if (now >= period_start + period_ns) period_start = now - (now - period_start) % period_ns;
      throttling = now >= period_start + run_ns;
      next_edge = throttling ? period_start + period_ns : period_start + run_ns;
    }
    SetStopped(freeze_end != 0 || throttling);
    const std::int64_t wake_at = std::min({freeze_end != 0 ? freeze_end : next_freeze, next_edge});
    if (wake_at == kNever) {
      wake_.wait(lock, stop, [] { return false; });
    } else {
      const MonoClock::time_point deadline{std::chrono::nanoseconds(wake_at)};
      wake_.wait_until(lock, stop, deadline, [] { return false; });
    }
  }
  now = MonotonicNanos();
  if (throttling && !groups_.empty()) throttled_ns_ += now - last;
  if (freeze_end != 0) {
    frozen_ns_ += now - freeze_start;
    if (freezes_ <= static_cast<std::int64_t>(kMaxRecordedFreezes)) {
      RecordOp(OpType::kOk, freeze_seq, "freeze");
    }
  }
  SetStopped(false);
  finished_ = true;
  groups_.clear();
  if (quota) RecordOp(OpType::kOk, 0, "throttle");
}

}  // namespace stampede
