// A run's schedule perturbation while the run lasts: the CPUs chosen for the targets, the hogs
// running beside them, and the freezer that stops and continues them (perturbation.h).
//
// Threading: one thread (the run's); the freezer has a thread of its own (freezer.h).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "history/history.h"
#include "perturb/freezer.h"
#include "perturb/hogs.h"
#include "perturb/perturbation.h"
#include "supervisor/group_observer.h"

namespace stampede {

class PerturbationScope : public GroupObserver {
 public:
  // Chooses the targets' CPUs and starts the hogs.
  explicit PerturbationScope(const Perturbation& perturbation);

  // Starts the freezer when the perturbation freezes the targets; its operations go to
  // `writer`, its random freezes follow `seed`. Targets are frozen once they are Started.
  void StartFreezer(HistoryWriter& writer, std::int64_t origin_ns, std::uint64_t seed);

  // The CPUs target `name` must run on; empty: no restriction.
  std::vector<int> CpusFor(const std::string& name) const;
  // The nice value target `name` must run at.
  int NiceFor(const std::string& name) const;

  // GroupObserver: the groups of the targets the perturbation applies to go to the freezer.
  void Started(const std::string& name, int pgid) override;
  void Released(int pgid) override;

  // Stops the freezer (every target runs again) and the hogs. The verdict's "perturbation"
  // (null when none is active), with the hogs' busy time and the freezer's figures.
  nlohmann::json Stop();
  // The freezer's operations (after Stop), for the history.
  std::vector<Operation> TakeOps();

 private:
  Perturbation perturbation_;
  std::vector<int> cpus_;
  std::unique_ptr<Hogs> hogs_;
  std::unique_ptr<Freezer> freezer_;
  std::vector<Operation> ops_;
};

}  // namespace stampede
