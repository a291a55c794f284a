#include "faults/fault_events.h"

#include "core/clock.h"

namespace stampede {

void FaultEvents::Record(int fault, const std::string& what) {
  const std::int64_t now = MonotonicNanos() - origin_ns_;
  const int client = -1 - fault;  // apart from the actions' clients (0, 1, ...)
  std::lock_guard lock(mutex_);
  const std::int64_t seq = next_seq_++;
  std::vector<Operation> pair = {
      {OpType::kInvoke, now, client, -1, seq, what, "", "", "", kNemesisStream},
      {OpType::kOk, now, client, -1, seq, what, "", "", "", kNemesisStream}};
  writer_.Write(pair, 0);
  ops_.insert(ops_.end(), pair.begin(), pair.end());
}

std::vector<Operation> FaultEvents::Take() {
  std::lock_guard lock(mutex_);
  return std::exchange(ops_, {});
}

}  // namespace stampede
