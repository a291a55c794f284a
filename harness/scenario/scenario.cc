#include "scenario/scenario.h"

#include <algorithm>
#include <regex>
#include <set>

#include "core/signals.h"
#include "scenario/file_template.h"
#include "scenario/input_limits.h"
#include "scenario/run_time_scope.h"
#include "scenario/text_file.h"

namespace stampede {
namespace {

using nlohmann::json;

ReadinessSpec ReadReadiness(ObjectReader& reader) {
  ReadinessSpec spec;
  std::string probe = "tcp";
  reader.Optional("probe", probe);
  reader.Optional("path", spec.path);
  reader.Optional("status", spec.status);
  reader.Optional("pattern", spec.pattern);
  reader.Optional("stream", spec.stream);
  reader.Optional("deadline_ms", spec.deadline_ms);
  reader.RequireRange("deadline_ms", spec.deadline_ms, 1, 3600000);
  if (probe == "tcp") {
    spec.probe = ProbeKind::kTcp;
  } else if (probe == "http") {
    spec.probe = ProbeKind::kHttp;
  } else if (probe == "log") {
    spec.probe = ProbeKind::kLog;
    if (spec.pattern.empty()) reader.Report(reader.pointer(), "probe \"log\" needs \"pattern\"");
  } else if (probe == "none") {
    spec.probe = ProbeKind::kNone;
  } else {
    reader.Report(reader.ChildPointer("probe"),
                  "must be \"tcp\", \"http\", \"log\" or \"none\", got \"" + probe + "\"");
  }
  if (spec.stream != "stdout" && spec.stream != "stderr") {
    reader.Report(reader.ChildPointer("stream"), "must be \"stdout\" or \"stderr\"");
  }
  if (spec.pattern.size() > kMaxPatternBytes) {
    reader.Report(reader.ChildPointer("pattern"), "is " + ByteSize(spec.pattern.size()) +
                                                      " long; a pattern may have at most " +
                                                      ByteSize(kMaxPatternBytes));
  } else {
    try {
      std::regex check(spec.pattern);
    } catch (const std::regex_error& e) {
      reader.Report(reader.ChildPointer("pattern"), std::string("invalid regex: ") + e.what());
    }
  }
  reader.Finish();
  return spec;
}

void ReadCleanExits(ObjectReader& reader, const json& list, StopSpec& spec) {
  spec.clean_exit_codes.clear();
  spec.clean_signals.clear();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& item = list[i];
    auto pointer = reader.ChildPointer("clean_exits") + "/" + std::to_string(i);
    if (item.is_number_integer() && item.get<std::int64_t>() >= 0 &&
        item.get<std::int64_t>() <= 255) {
      spec.clean_exit_codes.push_back(item.get<int>());
    } else if (item.is_string() && ParseSignal(item.get<std::string>())) {
      spec.clean_signals.push_back(*ParseSignal(item.get<std::string>()));
    } else {
      reader.Report(pointer,
                    "expected an exit code (0-255) or a signal name, got " + DescribeJson(item));
    }
  }
}

StopSpec ReadStop(ObjectReader& reader) {
  StopSpec spec;
  std::string signal = "SIGTERM";
  if (reader.Optional("signal", signal)) {
    if (auto parsed = ParseSignal(signal)) {
      spec.signal = *parsed;
    } else {
      reader.Report(reader.ChildPointer("signal"), "unknown signal \"" + signal + "\"");
    }
  }
  reader.Optional("http_path", spec.http_path);
  reader.Optional("deadline_ms", spec.deadline_ms);
  reader.RequireRange("deadline_ms", spec.deadline_ms, 1, 3600000);
  reader.Optional("port_release_ms", spec.port_release_ms);
  reader.RequireRange("port_release_ms", spec.port_release_ms, 0, 600000);
  if (const auto* list = reader.Array("clean_exits", false)) {
    ReadCleanExits(reader, *list, spec);
  } else {
    spec.clean_signals = {spec.signal};
  }
  reader.Finish();
  return spec;
}

void ReadExtraPorts(ObjectReader& reader, TargetSpec& target) {
  if (!reader.Optional("extra_ports", target.extra_ports)) return;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < target.extra_ports.size(); ++i) {
    const auto& name = target.extra_ports[i];
    auto pointer = reader.ChildPointer("extra_ports") + "/" + std::to_string(i);
    auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
    auto rest = [&](char c) { return lower(c) || IsAsciiDigit(c) || c == '_'; };
    if (!IsName(name, lower, rest)) {
      reader.Report(pointer, NameProblem(name,
                                         "must start with a lowercase letter and hold only "
                                         "lowercase letters, digits and '_'"));
    } else if (!seen.insert(name).second) {
      reader.Report(pointer, "duplicate port name \"" + name + "\"");
    }
  }
}

// Reads "files": {"NAME": "TEMPLATE PATH"}; the contents are read by LoadFiles.
void ReadFileNames(ObjectReader& reader, TargetSpec& target) {
  std::map<std::string, std::string> files;
  if (!reader.Optional("files", files)) return;
  for (const auto& [name, source] : files) {
    auto first = [](char c) { return IsAsciiLetter(c) || IsAsciiDigit(c) || c == '_'; };
    auto rest = [&](char c) { return first(c) || c == '.' || c == '-'; };
    if (!IsName(name, first, rest)) {
      reader.Report(
          reader.ChildPointer("files") + "/" + EscapePointerToken(name),
          NameProblem(name, "a file name must hold only letters, digits, '.', '-' and '_'"));
    }
    target.files.push_back({name, source, ""});
  }
}

TargetSpec ReadTarget(const JsonSource& source, const json& value, const std::string& pointer,
                      Diagnostics& diagnostics) {
  TargetSpec target;
  ObjectReader reader(source, value, pointer, diagnostics);
  if (!reader.valid()) return target;
  auto rest = [](char c) { return IsAsciiLetter(c) || IsAsciiDigit(c) || c == '-' || c == '_'; };
  if (reader.Required("name", target.name) && !IsName(target.name, IsAsciiLetter, rest)) {
    reader.Report(reader.ChildPointer("name"),
                  NameProblem(target.name,
                              "must start with a letter and hold only letters, digits, '-' and "
                              "'_'"));
  }
  if (reader.Required("command", target.command) && target.command.empty()) {
    reader.Report(reader.ChildPointer("command"), "must name a program");
  }
  CheckCommandLine(reader, "command", target.command);
  if (reader.Optional("env", target.env)) CheckEnvironment(reader, "env", target.env);
  ReadExtraPorts(reader, target);
  ReadFileNames(reader, target);
  reader.Optional("log_limit_mb", target.log_limit_mb);
  reader.RequireRange("log_limit_mb", target.log_limit_mb, 4, 1 << 20);
  reader.Optional("line_buffered", target.line_buffered);
  if (const auto* ready = reader.Object("ready", false)) {
    ObjectReader ready_reader(source, *ready, reader.ChildPointer("ready"), diagnostics);
    target.ready = ReadReadiness(ready_reader);
  }
  if (const auto* stop = reader.Object("stop", false)) {
    ObjectReader stop_reader(source, *stop, reader.ChildPointer("stop"), diagnostics);
    target.stop = ReadStop(stop_reader);
  } else {
    target.stop.clean_signals = {target.stop.signal};
  }
  reader.Finish();
  return target;
}

CheckSpec ReadChecks(ObjectReader& reader) {
  CheckSpec checks;
  reader.Optional("max_errors", checks.max_errors);
  reader.Optional("max_error_rate", checks.max_error_rate);
  reader.Optional("stall_ms", checks.stall_ms);
  reader.Optional("max_timeouts", checks.max_timeouts);
  reader.RequireRange("max_errors", checks.max_errors, 0, INT64_MAX);
  reader.RequireRange("max_timeouts", checks.max_timeouts, 0, INT64_MAX);
  reader.RequireRange("stall_ms", checks.stall_ms, 0, 86400000);
  if (checks.max_error_rate < 0.0 || checks.max_error_rate > 1.0) {
    reader.Report(reader.ChildPointer("max_error_rate"), "must be between 0 and 1");
  }
  reader.Finish();
  return checks;
}

void ReadTargets(const JsonSource& source, const json& targets, Scenario& scenario,
                 Diagnostics& diagnostics) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    auto pointer = "/targets/" + std::to_string(i);
    scenario.targets.push_back(ReadTarget(source, targets[i], pointer, diagnostics));
    const auto& name = scenario.targets.back().name;
    if (!name.empty() && !seen.insert(name).second) {
      diagnostics.Add(source.Describe(pointer + "/name", "duplicate target name \"" + name + "\""));
    }
  }
}

void ReadLoads(const JsonSource& source, const json& loads, Scenario& scenario,
               Diagnostics& diagnostics) {
  for (std::size_t i = 0; i < loads.size(); ++i) {
    ObjectReader reader(source, loads[i], "/loads/" + std::to_string(i), diagnostics);
    if (!reader.valid() || !CheckNameLength(reader)) continue;
    scenario.loads.push_back(ReadStreamSpec(reader));
    reader.Finish();
  }
}

void ReadFaults(const JsonSource& source, const json& faults, Scenario& scenario,
                Diagnostics& diagnostics) {
  std::set<std::string> names;
  for (const auto& target : scenario.targets) names.insert(target.name);
  for (std::size_t i = 0; i < faults.size(); ++i) {
    const auto pointer = "/faults/" + std::to_string(i);
    ObjectReader reader(source, faults[i], pointer, diagnostics);
    if (!reader.valid() || !CheckNameLength(reader)) continue;
    scenario.faults.push_back(ReadFaultSpec(reader));
    reader.Finish();
    const auto& name = scenario.faults.back().name;
    if (!name.empty() && !names.insert(name).second) {
      diagnostics.Add(source.Describe(pointer + "/name", "\"" + name +
                                                             "\" already names a target or a "
                                                             "fault"));
    }
  }
}

void ReadActions(const JsonSource& source, const json& actions, Scenario& scenario,
                 Diagnostics& diagnostics) {
  std::vector<std::string> targets;
  for (const auto& target : scenario.targets) targets.push_back(target.name);
  std::vector<std::string> faults;
  for (const auto& fault : scenario.faults) faults.push_back(fault.name);
  for (std::size_t i = 0; i < actions.size(); ++i) {
    ObjectReader reader(source, actions[i], "/actions/" + std::to_string(i), diagnostics);
    if (!reader.valid()) continue;
    scenario.actions.push_back(ReadActionSpec(reader, targets, faults));
    if (scenario.actions.back().type == ActionType::kExec) {
      CheckCommandLine(reader, "command", scenario.actions.back().exec.command);
    }
    reader.Finish();
  }
  std::vector<std::pair<std::string, bool>> loads;
  for (const auto& load : scenario.loads) loads.emplace_back(load.name, load.background);
  CheckActionEvents(scenario.actions, loads, [&](std::size_t i, const std::string& problem) {
    diagnostics.Add(source.Describe("/actions/" + std::to_string(i) + "/after", problem));
  });
}

// `workload` (one load, or a start-stop or client-run run) or `loads` (named streams), and
// `actions` and `faults` beside anything but a start-stop run.
void ReadLoadSections(const JsonSource& source, ObjectReader& reader, Scenario& scenario,
                      Diagnostics& diagnostics) {
  const bool has_loads = reader.Has("loads");
  if (const auto* faults = reader.Array("faults", false)) {
    ReadFaults(source, *faults, scenario, diagnostics);
  }
  if (has_loads && reader.Has("workload")) {
    reader.Report(reader.ChildPointer("loads"), "give either \"workload\" or \"loads\", not both");
  }
  if (const auto* workload = reader.Object("workload", !has_loads)) {
    ObjectReader workload_reader(source, *workload, "/workload", diagnostics);
    scenario.workload = ReadWorkloadSpec(workload_reader);
    workload_reader.Finish();
  }
  if (const auto* loads = reader.Array("loads", false)) {
    ReadLoads(source, *loads, scenario, diagnostics);
    if (loads->empty()) reader.Report(reader.ChildPointer("loads"), "must list at least one load");
  }
  if (const auto* actions = reader.Array("actions", false)) {
    ReadActions(source, *actions, scenario, diagnostics);
  }
  const bool start_stop = !has_loads && std::holds_alternative<StartStopSpec>(scenario.workload);
  for (const char* section : {"actions", "faults"}) {
    if (start_stop && reader.Has(section)) {
      reader.Report(reader.ChildPointer(section),
                    std::string(section) +
                        " run beside \"loads\", a workload or a client-run, not a start-stop run "
                        "(its cycles are restarts already; for restarts under load use a "
                        "\"restart\" action)");
    }
  }
  if (has_loads) CheckStreams(scenario.loads, !scenario.actions.empty(), reader);
}

// The targets "perturb" names must be the scenario's.
void CheckPerturbTargets(ObjectReader& reader, const Scenario& scenario) {
  for (const auto& name : scenario.perturb.targets) {
    const bool known = std::any_of(scenario.targets.begin(), scenario.targets.end(),
                                   [&](const TargetSpec& target) { return target.name == name; });
    if (!known)
      reader.Report(reader.ChildPointer("targets"), "no target is named \"" + name + "\"");
  }
}

// Reads everything below the parameters, from the parameter-substituted document.
void ReadBody(const JsonSource& source, const json& body, Scenario& scenario,
              Diagnostics& diagnostics) {
  ObjectReader reader(source, body, "", diagnostics);
  reader.Skip("name");
  reader.Skip("description");
  reader.Skip("params");
  reader.Skip("$schema");
  if (const auto* targets = reader.Array("targets", true)) {
    ReadTargets(source, *targets, scenario, diagnostics);
  }
  ReadLoadSections(source, reader, scenario, diagnostics);
  if (const auto* checks = reader.Object("checks", false)) {
    ObjectReader checks_reader(source, *checks, "/checks", diagnostics);
    scenario.checks = ReadChecks(checks_reader);
  }
  if (auto perturb = reader.Nested("perturb", false)) {
    scenario.perturb = ReadPerturbation(*perturb);
    CheckPerturbTargets(*perturb, scenario);
    perturb->Finish();
  }
  reader.Optional("timeout_ms", scenario.timeout_ms);
  reader.RequireRange("timeout_ms", scenario.timeout_ms, 1, 86400000);
  std::string isolation = "none";
  if (reader.Optional("isolation", isolation) && isolation != "none" && isolation != "network") {
    reader.Report(reader.ChildPointer("isolation"), "must be \"none\" or \"network\"");
  }
  scenario.isolate_network = isolation == "network";
  reader.Finish();
}

// A client-run workload's "client" must name a target (the first one when absent).
void CheckClientTarget(const JsonSource& source, const Scenario& scenario,
                       Diagnostics& diagnostics) {
  const auto* spec = std::get_if<ClientRunSpec>(&scenario.workload);
  if (spec == nullptr) return;
  if (scenario.targets.empty()) {
    diagnostics.Add(
        source.Describe("/targets", "a client-run scenario needs the client as a target"));
    return;
  }
  if (spec->client.empty()) return;
  for (const auto& target : scenario.targets) {
    if (target.name == spec->client) return;
  }
  diagnostics.Add(
      source.Describe("/workload/client", "no target is named \"" + spec->client + "\""));
}

// Reads one file template (at most JsonSource::kMaxFileBytes), substitutes the parameters
// (at most kMaxSubstitutedBytes come out) and checks the placeholders left.
void LoadFile(const JsonSource& source, const std::string& pointer, const Scope& scope,
              const PlaceholderValues& parameters, FileSpec& file, Diagnostics& diagnostics) {
  auto text = ReadTextFile(file.source, JsonSource::kMaxFileBytes, "a file template");
  if (!text.ok()) {
    diagnostics.Add(source.Describe(pointer, text.error().message));
    return;
  }
  if (ExpandedFileTemplateLength(text.value(), parameters) > kMaxSubstitutedBytes) {
    diagnostics.Add(source.Describe(pointer, file.source.string() +
                                                 ": with the parameters substituted it would "
                                                 "be larger than " +
                                                 ByteSize(kMaxSubstitutedBytes)));
    return;
  }
  file.content = ExpandFileTemplate(text.value(), parameters);
  for (const auto& placeholder : FilePlaceholders(file.content)) {
    if (scope.names.count(placeholder.name) > 0) continue;
    diagnostics.Add(
        source.Describe(pointer, file.source.string() + ":" + std::to_string(placeholder.line) +
                                     ": unknown placeholder {" + placeholder.name +
                                     "} (known: " + Known(scope) + " and the parameters)"));
  }
}

// Resolves every file template against the scenario's folder and loads it. File names must
// be unique across targets, since all land in the one run folder.
void LoadFiles(const JsonSource& source, Scenario& scenario, Diagnostics& diagnostics) {
  const auto base = std::filesystem::path(source.name()).parent_path();
  const auto parameters = ParameterText(scenario.params);
  std::vector<std::string> faults;
  for (const auto& fault : scenario.faults) faults.push_back(fault.name);
  const auto scope = TargetScope(scenario.targets,
                                 std::holds_alternative<ClientRunSpec>(scenario.workload), faults);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < scenario.targets.size(); ++i) {
    for (auto& file : scenario.targets[i].files) {
      auto pointer = "/targets/" + std::to_string(i) + "/files/" + EscapePointerToken(file.name);
      if (!seen.insert(file.name).second) {
        diagnostics.Add(
            source.Describe(pointer, "another target writes \"" + file.name + "\" too"));
        continue;
      }
      file.source = base / file.source;
      LoadFile(source, pointer, scope, parameters, file, diagnostics);
    }
  }
}

Result<Scenario> Interpret(JsonSource& source, const Overrides& overrides) {
  Diagnostics diagnostics;
  Scenario scenario;
  ObjectReader top(source, source.root(), "", diagnostics);
  if (!top.valid()) return InvalidInput(diagnostics.Joined());
  // The name becomes a folder under runs/: one path component of at most 100 bytes.
  auto first = [](char c) { return IsAsciiLetter(c) || IsAsciiDigit(c); };
  auto rest = [&](char c) { return first(c) || c == '.' || c == '-' || c == '_'; };
  if (top.Required("name", scenario.name) && !IsName(scenario.name, first, rest)) {
    top.Report(top.ChildPointer("name"),
               "must be 1 to 100 letters, digits, '.', '-' or '_', starting with a letter or "
               "digit (it names the run folder)");
  }
  top.Optional("description", scenario.description);
  if (const auto* params = top.Object("params", false)) {
    scenario.params = ReadParameters(source, *params, diagnostics);
  }
  if (!diagnostics.empty()) return InvalidInput(diagnostics.Joined());
  if (auto applied = ApplyOverrides(scenario.params, overrides); !applied.ok()) {
    return applied.error();
  }
  json body = source.root();
  // Free text, not templates: only what ReadBody reads takes parameters.
  for (const char* key : {"params", "name", "description", "$schema"}) body.erase(key);
  if (!SubstituteParameters(body, scenario.params, source, "", diagnostics)) {
    return InvalidInput(diagnostics.Joined());
  }
  ReadBody(source, body, scenario, diagnostics);
  CheckClientTarget(source, scenario, diagnostics);
  CheckRunTimePlaceholders(source, body, scenario, diagnostics);
  if (diagnostics.empty()) LoadFiles(source, scenario, diagnostics);
  if (!diagnostics.empty()) return InvalidInput(diagnostics.Joined());
  return scenario;
}

}  // namespace

Result<Scenario> ParseScenario(const std::string& name, const std::string& text,
                               const Overrides& overrides) {
  auto source = JsonSource::Parse(name, text);
  if (!source.ok()) return source.error();
  return Interpret(source.value(), overrides);
}

Result<Scenario> LoadScenario(const std::filesystem::path& file, const Overrides& overrides) {
  auto source = JsonSource::Load(file);
  if (!source.ok()) return source.error();
  auto scenario = Interpret(source.value(), overrides);
  if (scenario.ok()) scenario.value().file = file;
  return scenario;
}

}  // namespace stampede
