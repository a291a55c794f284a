#include "perturb/perturbation.h"

#include <sched.h>

#include <algorithm>
#include <charconv>

#include "scenario/object_reader.h"

namespace stampede {
namespace {

Result<int> ParseCount(const std::string& key, const std::string& text, int min, int max) {
  int value = 0;
  const char* first = text.data();
  if (!text.empty() && text[0] == '+') ++first;
  const auto [end, error] = std::from_chars(first, text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return InvalidInput("--perturb " + key + "=" + text + ": must be an integer from " +
                        std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

std::vector<std::string> SplitNames(const std::string& text) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    if (comma > start) names.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return names;
}

}  // namespace

bool Perturbation::AppliesTo(const std::string& target) const {
  return targets.empty() || std::find(targets.begin(), targets.end(), target) != targets.end();
}

Perturbation ReadPerturbation(ObjectReader& reader) {
  Perturbation perturbation;
  reader.Optional("cpus", perturbation.cpus);
  reader.RequireRange("cpus", perturbation.cpus, 0, CPU_SETSIZE);
  reader.Optional("nice", perturbation.nice);
  reader.RequireRange("nice", perturbation.nice, -20, 19);
  reader.Optional("cpu_hogs", perturbation.cpu_hogs);
  reader.RequireRange("cpu_hogs", perturbation.cpu_hogs, 0, kMaxHogs);
  reader.Optional("memory_hogs", perturbation.memory_hogs);
  reader.RequireRange("memory_hogs", perturbation.memory_hogs, 0, kMaxHogs);
  reader.Optional("hog_duty_percent", perturbation.hog_duty_percent);
  reader.RequireRange("hog_duty_percent", perturbation.hog_duty_percent, 1, 100);
  reader.Optional("freezes_per_s", perturbation.freezes_per_s);
  reader.RequireRange("freezes_per_s", perturbation.freezes_per_s, 0, kMaxFreezesPerSecond);
  reader.Optional("freeze_ms", perturbation.freeze_ms);
  reader.RequireRange("freeze_ms", perturbation.freeze_ms, 1, kMaxFreezeMs);
  reader.Optional("cpu_quota_percent", perturbation.cpu_quota_percent);
  reader.RequireRange("cpu_quota_percent", perturbation.cpu_quota_percent, 1, 100);
  reader.Optional("targets", perturbation.targets);
  return perturbation;
}

Status ApplyPerturbSetting(Perturbation& perturbation, const std::string& setting) {
  if (setting == "none") {
    perturbation = Perturbation{};
    return {};
  }
  const auto equals = setting.find('=');
  if (equals == std::string::npos) {
    return InvalidInput("--perturb " + setting + ": expected KEY=VALUE or none");
  }
  const std::string key = setting.substr(0, equals);
  const std::string text = setting.substr(equals + 1);
  if (key == "targets") {
    perturbation.targets = SplitNames(text);
    return {};
  }
  struct Field {
    const char* key;
    int* value;
    int min, max;
  };
  const Field fields[] = {{"cpus", &perturbation.cpus, 0, CPU_SETSIZE},
                          {"nice", &perturbation.nice, -20, 19},
                          {"cpu_hogs", &perturbation.cpu_hogs, 0, kMaxHogs},
                          {"memory_hogs", &perturbation.memory_hogs, 0, kMaxHogs},
                          {"hog_duty_percent", &perturbation.hog_duty_percent, 1, 100},
                          {"freezes_per_s", &perturbation.freezes_per_s, 0, kMaxFreezesPerSecond},
                          {"freeze_ms", &perturbation.freeze_ms, 1, kMaxFreezeMs},
                          {"cpu_quota_percent", &perturbation.cpu_quota_percent, 1, 100}};
  for (const auto& field : fields) {
    if (key != field.key) continue;
    auto parsed = ParseCount(key, text, field.min, field.max);
    if (!parsed.ok()) return parsed.error();
    *field.value = parsed.value();
    return {};
  }
  return InvalidInput(
      "--perturb " + setting +
      ": unknown key (cpus, nice, cpu_hogs, memory_hogs, hog_duty_percent, freezes_per_s, "
      "freeze_ms, cpu_quota_percent, targets)");
}

std::vector<int> ChooseCpus(int count) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &allowed)) cpus.push_back(cpu);
  }
  if (count > 0 && static_cast<std::size_t>(count) < cpus.size()) {
    cpus.erase(cpus.begin(), cpus.end() - count);
  }
  return cpus;
}

nlohmann::json DescribePerturbation(const Perturbation& perturbation,
                                    const std::vector<int>& cpus) {
  if (!perturbation.active()) return nullptr;
  nlohmann::json described = {{"cpus", perturbation.cpus},
                              {"nice", perturbation.nice},
                              {"cpu_hogs", perturbation.cpu_hogs},
                              {"memory_hogs", perturbation.memory_hogs},
                              {"hog_duty_percent", perturbation.hog_duty_percent},
                              {"freezes_per_s", perturbation.freezes_per_s},
                              {"freeze_ms", perturbation.freeze_ms},
                              {"cpu_quota_percent", perturbation.cpu_quota_percent},
                              {"targets", perturbation.targets}};
  if (perturbation.cpus > 0) described["target_cpus"] = cpus;
  return described;
}

}  // namespace stampede
