#include "history/op_merge.h"

#include <queue>

namespace stampede {

bool VectorOpSource::Next(Operation& op) {
  if (next_ >= ops_.size()) return false;
  op = ops_[next_++];
  return true;
}

void MergeByTime(const std::vector<OpSource*>& sources,
                 const std::function<void(const Operation&)>& visit) {
  std::vector<Operation> heads(sources.size());
  // (time_ns, source index), smallest first.
  using Entry = std::pair<std::int64_t, std::size_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> due;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (sources[i]->Next(heads[i])) due.emplace(heads[i].time_ns, i);
  }
  while (!due.empty()) {
    const std::size_t i = due.top().second;
    due.pop();
    visit(heads[i]);
    if (sources[i]->Next(heads[i])) due.emplace(heads[i].time_ns, i);
  }
}

}  // namespace stampede
