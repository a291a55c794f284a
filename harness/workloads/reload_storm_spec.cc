#include "workloads/reload_storm_spec.h"

namespace stampede {
namespace {

void ReadAbortMix(ObjectReader& reader, AbortMix& mix) {
  auto nested = reader.Nested("abort_mix", false);
  if (!nested) return;
  nested->Optional("rst", mix.rst);
  nested->Optional("fin", mix.fin);
  nested->Optional("idle", mix.idle);
  nested->RequireRange("rst", mix.rst, 0, 1000);
  nested->RequireRange("fin", mix.fin, 0, 1000);
  nested->RequireRange("idle", mix.idle, 0, 1000);
  if (mix.rst <= 0 && mix.fin <= 0 && mix.idle <= 0) {
    reader.Report(reader.ChildPointer("abort_mix"), "needs at least one positive weight");
  }
  nested->Finish();
}

void CheckTargets(ObjectReader& reader, const ReloadStormSpec& spec) {
  if (spec.paths.empty()) reader.Report(reader.ChildPointer("paths"), "must not be empty");
  for (std::size_t i = 0; i < spec.paths.size(); ++i) {
    if (spec.paths[i].empty() || spec.paths[i][0] != '/') {
      reader.Report(reader.ChildPointer("paths") + "/" + std::to_string(i),
                    "must be a request target starting with \"/\", got \"" + spec.paths[i] + "\"");
    }
  }
  if (spec.probe_path.empty() || spec.probe_path[0] != '/') {
    reader.Report(reader.ChildPointer("probe_path"),
                  "must be a request target starting with \"/\", got \"" + spec.probe_path + "\"");
  }
}

template <typename Enum, std::size_t N>
void ReadChoice(ObjectReader& reader, const std::string& key, const Enum (&choices)[N],
                Enum& value) {
  std::string text = ToString(value);
  reader.Optional(key, text);
  std::string names;
  for (Enum choice : choices) {
    if (text == ToString(choice)) {
      value = choice;
      return;
    }
    names += std::string(names.empty() ? "" : ", ") + "\"" + ToString(choice) + "\"";
  }
  reader.Report(reader.ChildPointer(key), "must be one of " + names + ", got \"" + text + "\"");
}

}  // namespace

const char* ToString(ProbeAt at) {
  switch (at) {
    case ProbeAt::kEveryRound:
      return "every_round";
    case ProbeAt::kEnd:
      return "end";
    case ProbeAt::kBoth:
      return "both";
  }
  return "?";
}

const char* ToString(IdleFate fate) {
  switch (fate) {
    case IdleFate::kKeep:
      return "keep";
    case IdleFate::kClose:
      return "close";
    case IdleFate::kReset:
      return "reset";
  }
  return "?";
}

ReloadStormSpec ReadReloadStormSpec(ObjectReader& reader) {
  ReloadStormSpec spec;
  reader.Required("address", spec.address);
  reader.Optional("tabs", spec.tabs);
  reader.Optional("rounds", spec.rounds);
  reader.Optional("connections_per_tab", spec.connections_per_tab);
  reader.Optional("preconnect", spec.preconnect);
  reader.Optional("paths", spec.paths);
  reader.Optional("requests_per_connection", spec.requests_per_connection);
  reader.Optional("reload_after_ms", spec.reload_after_ms);
  reader.Optional("max_idle_connections", spec.max_idle_connections);
  reader.Optional("probe_path", spec.probe_path);
  reader.Optional("probe_deadline_ms", spec.probe_deadline_ms);
  ReadAbortMix(reader, spec.abort_mix);
  constexpr ProbeAt kProbeAts[] = {ProbeAt::kEveryRound, ProbeAt::kEnd, ProbeAt::kBoth};
  constexpr IdleFate kIdleFates[] = {IdleFate::kKeep, IdleFate::kClose, IdleFate::kReset};
  ReadChoice(reader, "probe_at", kProbeAts, spec.probe_at);
  ReadChoice(reader, "final_idle", kIdleFates, spec.final_idle);
  reader.Optional("settle_ms", spec.settle_ms);
  reader.RequireRange("settle_ms", spec.settle_ms, 0, 600000);
  // Settings of the final probe asked for without one (defaults are fine: a scenario may pass
  // them from parameters whatever probe_at is).
  if (spec.probe_at == ProbeAt::kEveryRound) {
    const bool settle = spec.settle_ms != 0;
    const bool idle = spec.final_idle != IdleFate::kKeep;
    for (const auto& [key, set] : {std::pair{"settle_ms", settle}, std::pair{"final_idle", idle}}) {
      if (set) {
        reader.Report(reader.ChildPointer(key),
                      "applies to the final probe: needs \"probe_at\": \"end\" or \"both\"");
      }
    }
  }
  reader.RequireRange("tabs", spec.tabs, 1, 64);
  reader.RequireRange("rounds", spec.rounds, 1, 100000);
  reader.RequireRange("connections_per_tab", spec.connections_per_tab, 1, 6);
  reader.RequireRange("requests_per_connection", spec.requests_per_connection, 0, 1000);
  reader.RequireRange("reload_after_ms", spec.reload_after_ms, 1, 60000);
  reader.RequireRange("max_idle_connections", spec.max_idle_connections, 0, 512);
  reader.RequireRange("probe_deadline_ms", spec.probe_deadline_ms, 1, 600000);
  CheckTargets(reader, spec);
  return spec;
}

}  // namespace stampede
