// The cycles of a start-stop run. Each cycle starts every target with its own Supervisor
// (logs in run_dir/cycles/NNN/), leaves a StopLoad on them, stops them (reverse start order)
// while the busy requests wait for their answers, and records itself as one operation (see
// checkers/cycles.h): ok, or fail with the first problem (checkers/cycles.h CycleProblem, or a
// failed request). Every process event carries its cycle.
//
// Stops after the first failing cycle unless spec.keep_going, when `abort` is requested, or
// when `deadline` passes (timed_out). Every child is gone when this returns.
#pragma once

#include <filesystem>
#include <optional>
#include <stop_token>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "history/history.h"
#include "supervisor/supervisor.h"
#include "workloads/start_stop_spec.h"
#include "workloads/tcp_client_engine.h"

namespace stampede {

struct CycleRunContext {
  HistoryWriter& writer;
  std::int64_t origin_ns;
  std::filesystem::path run_dir;
  const std::stop_token& abort;
  MonoClock::time_point deadline;
  bool keep_cores = false;          // Supervisor::KeepCores
  GroupObserver* groups = nullptr;  // Supervisor::ObserveGroups, for every cycle
};

struct CycleRunResult {
  std::vector<Operation> ops;  // cycle operations and the load's
  std::vector<ProcessEvent> events;
  std::optional<Error> setup_error;  // a target of the first cycle could not be started
  bool timed_out = false;
  std::filesystem::path last_cycle_dir;  // logs of the last cycle run
};

CycleRunResult RunStartStopCycles(const StartStopSpec& spec, const TcpEndpoint& load_endpoint,
                                  const std::vector<ResolvedTarget>& targets,
                                  const CycleRunContext& context);

// "cycles/007" for cycle 7 of a run with fewer than 1000 cycles: zero-padded so a listing
// sorts by cycle.
std::filesystem::path CycleDirName(int cycle, int cycles);

}  // namespace stampede
