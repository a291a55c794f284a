// A named load stream of a scenario's `loads`: one workload, when it starts, and what ends it.
// Streams run concurrently, each on its own thread, and their operations carry the stream's
// name in the history.
#pragma once

#include <string>
#include <vector>

#include "scenario/object_reader.h"
#include "workloads/workload_spec.h"

namespace stampede {

struct StreamSpec {
  std::string name;     // unique in the scenario; "nemesis" is reserved for actions
  int start_ms = 0;     // after the targets are ready
  int duration_ms = 0;  // stopped this long after its start; 0: no time limit
  bool loop = false;    // run the workload again each time it completes, until stopped
  // A background stream does not hold the run open: it is stopped once every other stream
  // and every action has finished.
  bool background = false;
  WorkloadSpec workload;
};

// Reads one element of `loads` (the workload's own members included, "type" first).
StreamSpec ReadStreamSpec(ObjectReader& reader);

// Checks what involves several streams: unique names, and that something ends the run (a
// stream that ends by itself, or an action). `has_actions`: the scenario schedules actions.
void CheckStreams(const std::vector<StreamSpec>& streams, bool has_actions, ObjectReader& top);

}  // namespace stampede
