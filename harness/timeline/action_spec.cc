#include "timeline/action_spec.h"

#include <algorithm>
#include <array>
#include <regex>

#include "core/signals.h"

namespace stampede {
namespace {

using nlohmann::json;

constexpr std::array<const char*, 8> kTypeNames = {"signal",  "freeze", "stop", "start",
                                                   "restart", "send",   "exec", "fault"};

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

void ReadTarget(ObjectReader& reader, const std::vector<std::string>& targets, ActionSpec& spec) {
  if (!reader.Required("target", spec.target)) return;
  if (std::find(targets.begin(), targets.end(), spec.target) == targets.end()) {
    reader.Report(reader.ChildPointer("target"),
                  "no target is named \"" + spec.target + "\" (targets: " + Joined(targets) + ")");
  }
}

void ReadSchedule(ObjectReader& reader, ActionSchedule& schedule) {
  reader.Optional("at_ms", schedule.at_ms);
  reader.Optional("every_ms", schedule.every_ms);
  reader.Optional("times", schedule.times);
  if (reader.Optional("after", schedule.after) && schedule.after.rfind("load:", 0) != 0 &&
      schedule.after.rfind("action:", 0) != 0) {
    reader.Report(
        reader.ChildPointer("after"),
        "\"" + schedule.after + "\" is not an event: give \"load:NAME\" or \"action:NAME\"");
  }
  reader.RequireRange("at_ms", schedule.at_ms, 0, 86400000);
  reader.RequireRange("every_ms", schedule.every_ms, 0, 86400000);
  reader.RequireRange("times", schedule.times, 1, 1000000);
  if (schedule.times > 1 && schedule.every_ms == 0) {
    reader.Report(reader.ChildPointer("times"),
                  "an action fired more than once needs \"every_ms\"");
  }
}

void ReadExpectation(ObjectReader& reader, ReplyExpectation& expect) {
  json value;
  if (!reader.Optional("expect", value)) return;
  const auto pointer = reader.ChildPointer("expect");
  if (value == "any") {
    expect.kind = ReplyExpectation::Kind::kAny;
  } else if (value.is_object() && value.size() == 1 && value.contains("exact") &&
             value["exact"].is_string()) {
    expect = {ReplyExpectation::Kind::kExact, value["exact"].get<std::string>()};
  } else if (value.is_object() && value.size() == 1 && value.contains("regex") &&
             value["regex"].is_string()) {
    expect = {ReplyExpectation::Kind::kRegex, value["regex"].get<std::string>()};
    try {
      std::regex check(expect.value);
    } catch (const std::regex_error& e) {
      reader.Report(pointer + "/regex", std::string("invalid regex: ") + e.what());
    }
  } else {
    reader.Report(pointer, "must be \"any\", {\"exact\": TEXT} or {\"regex\": REGEX}, got " +
                               DescribeJson(value));
  }
}

void ReadHttpRequest(ObjectReader& reader, SendSpec& send) {
  auto http = reader.Nested("http", true);
  if (!http) return;
  http->Optional("method", send.method);
  http->Optional("path", send.path);
  http->Optional("headers", send.headers);
  http->Optional("body", send.body);
  if (send.path.empty() || send.path.front() != '/') {
    http->Report(http->ChildPointer("path"), "must start with '/'");
  }
  http->Finish();
}

void ReadSend(ObjectReader& reader, SendSpec& send) {
  reader.Required("address", send.address);
  const int given = reader.Has("resp") + reader.Has("http") + reader.Has("raw");
  if (given != 1) {
    reader.Report(reader.pointer(),
                  "a send action needs exactly one of \"resp\", \"http\", \"raw\"");
  }
  if (reader.Has("resp")) {
    send.protocol = SendProtocol::kResp;
    if (reader.Optional("resp", send.resp) && send.resp.empty()) {
      reader.Report(reader.ChildPointer("resp"), "must hold the command, e.g. [\"INFO\"]");
    }
  } else if (reader.Has("http")) {
    send.protocol = SendProtocol::kHttp;
    ReadHttpRequest(reader, send);
  } else if (reader.Has("raw")) {
    send.protocol = SendProtocol::kRaw;
    reader.Optional("raw", send.raw);
  }
  reader.Skip("resp");
  reader.Skip("http");
  reader.Skip("raw");
  ReadExpectation(reader, send.expect);
  reader.Optional("timeout_ms", send.timeout_ms);
  reader.RequireRange("timeout_ms", send.timeout_ms, 1, 3600000);
}

void ReadExec(ObjectReader& reader, ExecSpec& exec) {
  if (reader.Required("command", exec.command) && exec.command.empty()) {
    reader.Report(reader.ChildPointer("command"), "must name a program");
  }
  reader.Optional("deadline_ms", exec.deadline_ms);
  reader.RequireRange("deadline_ms", exec.deadline_ms, 1, 3600000);
  json codes;
  if (!reader.Optional("exit_codes", codes)) return;
  exec.exit_codes.clear();
  bool valid = codes.is_array() && !codes.empty();
  for (const auto& code : codes) {
    valid = valid && code.is_number_integer() && code.get<int>() >= 0 && code.get<int>() <= 255;
    if (valid) exec.exit_codes.push_back(code.get<int>());
  }
  if (!valid) {
    reader.Report(reader.ChildPointer("exit_codes"), "must be a list of exit codes (0-255)");
  }
}

void ReadSignal(ObjectReader& reader, ActionSpec& spec) {
  std::string signal;
  if (reader.Required("signal", signal)) {
    if (auto parsed = ParseSignal(signal)) {
      spec.signal = *parsed;
    } else {
      reader.Report(reader.ChildPointer("signal"), "unknown signal \"" + signal + "\"");
    }
  }
  reader.Optional("group", spec.group);
}

void ReadFaultSwitch(ObjectReader& reader, const std::vector<std::string>& faults,
                     ActionSpec& spec) {
  reader.Required("enabled", spec.enabled);
  if (!reader.Required("fault", spec.fault)) return;
  if (std::find(faults.begin(), faults.end(), spec.fault) == faults.end()) {
    reader.Report(reader.ChildPointer("fault"),
                  "no fault is named \"" + spec.fault + "\" (faults: " + Joined(faults) + ")");
  }
}

std::string DefaultName(const ActionSpec& spec) {
  switch (spec.type) {
    case ActionType::kSignal:
      return "signal " + SignalName(spec.signal) + " " + spec.target;
    case ActionType::kFreeze:
      return "freeze " + spec.target + " " + std::to_string(spec.freeze_ms) + "ms";
    case ActionType::kSend:
      if (spec.send.protocol == SendProtocol::kResp && !spec.send.resp.empty()) {
        std::string words;
        for (const auto& word : spec.send.resp) words += " " + word;
        return "send" + words;
      }
      if (spec.send.protocol == SendProtocol::kHttp) {
        return "send " + spec.send.method + " " + spec.send.path;
      }
      return "send raw";
    case ActionType::kExec:
      return "exec " + (spec.exec.command.empty() ? std::string() : spec.exec.command.front());
    case ActionType::kFault:
      return "fault " + spec.fault + (spec.enabled ? " on" : " off");
    default:
      return std::string(ToString(spec.type)) + " " + spec.target;
  }
}

}  // namespace

const char* ToString(ActionType type) {
  return kTypeNames[static_cast<std::size_t>(type)];
}

ActionSpec ReadActionSpec(ObjectReader& reader, const std::vector<std::string>& targets,
                          const std::vector<std::string>& faults) {
  ActionSpec spec;
  std::string type;
  reader.Optional("name", spec.name);
  if (!reader.Required("type", type)) {
    reader.SkipRemaining();
    return spec;
  }
  auto known = std::find(kTypeNames.begin(), kTypeNames.end(), type);
  if (known == kTypeNames.end()) {
    reader.Report(reader.ChildPointer("type"),
                  "unknown action type \"" + type +
                      "\" (known: signal, freeze, stop, start, restart, send, exec, fault)");
    reader.SkipRemaining();
    return spec;
  }
  spec.type = static_cast<ActionType>(known - kTypeNames.begin());
  ReadSchedule(reader, spec.schedule);
  switch (spec.type) {
    case ActionType::kSignal:
      ReadTarget(reader, targets, spec);
      ReadSignal(reader, spec);
      break;
    case ActionType::kFreeze:
      ReadTarget(reader, targets, spec);
      reader.Optional("freeze_ms", spec.freeze_ms);
      reader.RequireRange("freeze_ms", spec.freeze_ms, 1, 600000);
      break;
    case ActionType::kStop:
    case ActionType::kStart:
    case ActionType::kRestart:
      ReadTarget(reader, targets, spec);
      break;
    case ActionType::kSend:
      ReadSend(reader, spec.send);
      break;
    case ActionType::kExec:
      ReadExec(reader, spec.exec);
      break;
    case ActionType::kFault:
      ReadFaultSwitch(reader, faults, spec);
      break;
  }
  if (spec.name.empty()) spec.name = DefaultName(spec);
  return spec;
}

namespace {

// The index of the action `name` names, npos when none, or when several share it (*shared).
std::size_t FindAction(const std::vector<ActionSpec>& actions, const std::string& name,
                       bool* shared) {
  std::size_t found = std::string::npos;
  *shared = false;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    if (actions[i].name != name) continue;
    if (found != std::string::npos) *shared = true;
    found = i;
  }
  return *shared ? std::string::npos : found;
}

// True when following `after` from action `start` through other actions comes back to it.
bool WaitsOnItself(const std::vector<ActionSpec>& actions, std::size_t start) {
  std::size_t at = start;
  for (std::size_t steps = 0; steps <= actions.size(); ++steps) {
    const auto& after = actions[at].schedule.after;
    if (after.rfind("action:", 0) != 0) return false;
    bool shared = false;
    at = FindAction(actions, after.substr(7), &shared);
    if (at == std::string::npos) return false;
    if (at == start) return true;
  }
  return false;
}

std::string EventProblem(const std::vector<ActionSpec>& actions, std::size_t index,
                         const std::vector<std::pair<std::string, bool>>& loads) {
  const std::string& after = actions[index].schedule.after;
  if (after.rfind("load:", 0) == 0) {
    const std::string name = after.substr(5);
    auto load = std::find_if(loads.begin(), loads.end(),
                             [&](const auto& entry) { return entry.first == name; });
    if (load == loads.end()) return "no load is named \"" + name + "\"";
    if (load->second)
      return "load \"" + name + "\" runs in the background and never ends by itself";
    return "";
  }
  const std::string name = after.substr(7);
  bool shared = false;
  if (FindAction(actions, name, &shared) == std::string::npos) {
    return shared ? "several actions are named \"" + name + "\": give the one meant a \"name\""
                  : "no action is named \"" + name + "\"";
  }
  if (WaitsOnItself(actions, index)) return "actions wait on each other in a cycle";
  return "";
}

}  // namespace

void CheckActionEvents(const std::vector<ActionSpec>& actions,
                       const std::vector<std::pair<std::string, bool>>& loads,
                       const std::function<void(std::size_t, const std::string&)>& report) {
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const auto& after = actions[i].schedule.after;
    if (after.rfind("load:", 0) != 0 && after.rfind("action:", 0) != 0) continue;
    if (auto problem = EventProblem(actions, i, loads); !problem.empty()) report(i, problem);
  }
}

}  // namespace stampede
