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

void PerturbationScope::StartFreezer(HistoryWriter& writer, std::int64_t origin_ns,
                                     std::uint64_t seed) {
  if (!perturbation_.freezes() || freezer_) return;
  FreezeOptions options{perturbation_.freezes_per_s, perturbation_.freeze_ms,
                        perturbation_.cpu_quota_percent, seed};
  freezer_ = std::make_unique<Freezer>(options, writer, origin_ns);
}

std::vector<int> PerturbationScope::CpusFor(const std::string& name) const {
  return perturbation_.AppliesTo(name) ? cpus_ : std::vector<int>{};
}

int PerturbationScope::NiceFor(const std::string& name) const {
  return perturbation_.AppliesTo(name) ? perturbation_.nice : 0;
}

void PerturbationScope::Started(const std::string& name, int pgid) {
  if (freezer_ && perturbation_.AppliesTo(name)) freezer_->Started(name, pgid);
}

void PerturbationScope::Released(int pgid) {
  if (freezer_) freezer_->Released(pgid);
}

nlohmann::json PerturbationScope::Stop() {
  auto described = DescribePerturbation(perturbation_, cpus_);
  if (freezer_) {
    freezer_->Stop();
    described.update(freezer_->Describe());
    ops_ = freezer_->TakeOps();
  }
  if (hogs_) {
    hogs_->Stop();
    described["hog_busy_ms"] = hogs_->busy_ms();
    hogs_.reset();
  }
  return described;
}

std::vector<Operation> PerturbationScope::TakeOps() {
  return std::exchange(ops_, {});
}

}  // namespace stampede
