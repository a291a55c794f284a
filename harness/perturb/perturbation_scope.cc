#include "perturb/perturbation_scope.h"

namespace stampede {

PerturbationScope::PerturbationScope(const Perturbation& perturbation)
    : perturbation_(perturbation) {
  if (perturbation_.cpus > 0) cpus_ = ChooseCpus(perturbation_.cpus);
  if (perturbation_.cpu_hogs > 0 || perturbation_.memory_hogs > 0) {
    hogs_ = std::make_unique<Hogs>(perturbation_.cpu_hogs, perturbation_.memory_hogs,
                                   perturbation_.hog_duty_percent, cpus_);
  }
}

std::vector<int> PerturbationScope::CpusFor(const std::string& name) const {
  return perturbation_.AppliesTo(name) ? cpus_ : std::vector<int>{};
}

int PerturbationScope::NiceFor(const std::string& name) const {
  return perturbation_.AppliesTo(name) ? perturbation_.nice : 0;
}

nlohmann::json PerturbationScope::Stop() {
  auto described = DescribePerturbation(perturbation_, cpus_);
  if (hogs_) {
    hogs_->Stop();
    described["hog_busy_ms"] = hogs_->busy_ms();
    hogs_.reset();
  }
  return described;
}

}  // namespace stampede
