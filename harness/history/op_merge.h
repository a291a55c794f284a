// Puts operations recorded by several threads back into one time-ordered stream without
// holding them in memory: each source is already in time order (one recorder's operations, or
// a sorted vector) and only one operation per source is held at a time.
#pragma once

#include <functional>
#include <vector>

#include "history/event.h"
#include "history/op_spill.h"

namespace stampede {

// Operations in time order, one at a time.
class OpSource {
 public:
  virtual ~OpSource() = default;
  // The next operation into `op`; false at the end.
  virtual bool Next(Operation& op) = 0;
};

// The operations of a vector sorted by time_ns; the vector must outlive the source.
class VectorOpSource : public OpSource {
 public:
  explicit VectorOpSource(const std::vector<Operation>& ops) : ops_(ops) {}
  bool Next(Operation& op) override;

 private:
  const std::vector<Operation>& ops_;
  std::size_t next_ = 0;
};

// The operations of an opened spill file.
class SpillOpSource : public OpSource {
 public:
  explicit SpillOpSource(OpSpillReader& reader) : reader_(reader) {}
  bool Next(Operation& op) override { return reader_.Next(op); }

 private:
  OpSpillReader& reader_;
};

// Calls `visit` with every operation of every source, by time_ns; equal times keep source
// order (the earlier source first) and, within a source, their order.
void MergeByTime(const std::vector<OpSource*>& sources,
                 const std::function<void(const Operation&)>& visit);

}  // namespace stampede
