#include "checkers/target_times.h"

#include <algorithm>
#include <map>
#include <utility>

namespace stampede {
namespace {

struct Samples {
  std::vector<double> ready_ms;
  std::vector<double> stop_ms;
  int starts = 0;
  int stops_missed = 0;
};

double Milliseconds(std::int64_t ns) {
  return static_cast<double>(ns) / 1e6;
}

nlohmann::json Figure(std::vector<double> samples, int deadline_ms) {
  std::sort(samples.begin(), samples.end());
  const double median = samples.size() % 2 == 1
                            ? samples[samples.size() / 2]
                            : (samples[samples.size() / 2 - 1] + samples[samples.size() / 2]) / 2;
  return {{"count", samples.size()},    {"min", samples.front()},
          {"median", median},           {"max", samples.back()},
          {"deadline_ms", deadline_ms}, {"margin_ms", deadline_ms - samples.back()}};
}

// Events of one process, keyed by target and pid (a pid is not reused while its target's
// events are recorded: stampede reaps it only after its exit event).
using ProcessKey = std::pair<std::string, int>;

std::map<std::string, Samples> Collect(const std::vector<ProcessEvent>& events) {
  std::map<std::string, Samples> samples;
  std::map<ProcessKey, std::int64_t> spawned_ns;
  std::map<ProcessKey, std::int64_t> stop_requested_ns;
  for (const auto& event : events) {
    const ProcessKey key{event.target, event.pid};
    auto& target = samples[event.target];
    switch (event.action) {
      case ProcessAction::kSpawned:
        ++target.starts;
        spawned_ns[key] = event.time_ns;
        break;
      case ProcessAction::kReady:
        if (auto it = spawned_ns.find(key); it != spawned_ns.end()) {
          target.ready_ms.push_back(Milliseconds(event.time_ns - it->second));
        }
        break;
      case ProcessAction::kStopRequested:
        stop_requested_ns[key] = event.time_ns;
        break;
      case ProcessAction::kExited:
        if (auto it = stop_requested_ns.find(key); it != stop_requested_ns.end()) {
          if (event.killed_by_harness) {
            ++target.stops_missed;
          } else {
            target.stop_ms.push_back(Milliseconds(event.time_ns - it->second));
          }
          stop_requested_ns.erase(it);
        }
        break;
      default:
        break;
    }
  }
  return samples;
}

}  // namespace

nlohmann::json SummarizeTargetTimes(const std::vector<ProcessEvent>& events,
                                    const std::vector<TargetSpec>& targets) {
  const auto samples = Collect(events);
  nlohmann::json summary = nlohmann::json::object();
  for (const auto& spec : targets) {
    auto it = samples.find(spec.name);
    if (it == samples.end() || it->second.starts == 0) continue;
    const auto& target = it->second;
    nlohmann::json entry = {{"starts", target.starts}, {"stops_missed", target.stops_missed}};
    if (!target.ready_ms.empty())
      entry["ready_ms"] = Figure(target.ready_ms, spec.ready.deadline_ms);
    if (!target.stop_ms.empty()) entry["stop_ms"] = Figure(target.stop_ms, spec.stop.deadline_ms);
    summary[spec.name] = std::move(entry);
  }
  return summary;
}

}  // namespace stampede
