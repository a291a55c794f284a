// What the run's fault proxies did, recorded as operations of the nemesis stream (an invoke and
// an ok at the same instant, f "fault NAME: ..."), streamed to the history as they happen.
// Thread-safe: every proxy thread may call Record.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "history/history.h"

namespace stampede {

class FaultEvents {
 public:
  FaultEvents(HistoryWriter& writer, std::int64_t origin_ns)
      : writer_(writer), origin_ns_(origin_ns) {}
  // Records event `what` of fault number `fault` (its place in the scenario's `faults`).
  void Record(int fault, const std::string& what);
  std::vector<Operation> Take();

 private:
  HistoryWriter& writer_;
  std::int64_t origin_ns_;
  std::mutex mutex_;
  std::vector<Operation> ops_;  // guarded by mutex_
  std::int64_t next_seq_ = 0;   // guarded by mutex_
};

}  // namespace stampede
