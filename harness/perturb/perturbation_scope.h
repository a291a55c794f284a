// A run's schedule perturbation while the run lasts: the CPUs chosen for the targets and the
// hogs running beside them (perturbation.h).
//
// Threading: one thread (the run's).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "perturb/hogs.h"
#include "perturb/perturbation.h"

namespace stampede {

class PerturbationScope {
 public:
  // Chooses the targets' CPUs and starts the hogs.
  explicit PerturbationScope(const Perturbation& perturbation);

  // The CPUs target `name` must run on; empty: no restriction.
  std::vector<int> CpusFor(const std::string& name) const;
  // The nice value target `name` must run at.
  int NiceFor(const std::string& name) const;

  // Stops the hogs. The verdict's "perturbation" (null when none is active), with the hogs'
  // busy time.
  nlohmann::json Stop();

 private:
  Perturbation perturbation_;
  std::vector<int> cpus_;
  std::unique_ptr<Hogs> hogs_;
};

}  // namespace stampede
