#include "checkers/crash_checker.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>

#include "checkers/op_key.h"
#include "core/signals.h"

namespace stampede {
namespace {

const char* PhaseWords(Phase phase) {
  switch (phase) {
    case Phase::kStartup:
      return "during startup";
    case Phase::kRunning:
      return "while running";
    case Phase::kShutdown:
      return "during shutdown";
  }
  return "";
}

// "died by SIGSEGV", "exited with status 3", or "exited unexpectedly with status 3" for a
// target that should have kept running.
std::string HowItEnded(const ProcessEvent& event) {
  const ExitInfo exit = event.exit.value_or(ExitInfo{});
  if (exit.signal) {
    return fmt::format("died by {}{}", SignalName(*exit.signal),
                       exit.core_dumped ? " (core dumped)" : "");
  }
  if (!exit.exit_code) return "exited with an unknown status";
  if (event.phase == Phase::kRunning && !IsClientEvent(event)) {
    return fmt::format("exited unexpectedly with status {}", *exit.exit_code);
  }
  return fmt::format("exited with status {}", *exit.exit_code);
}

// "; clean exits: 0, 1" after an exit status that was asked for (a stop, a client's end) and is
// not one of them; "" otherwise.
std::string CleanExitsNote(const ProcessEvent& event) {
  const ExitInfo exit = event.exit.value_or(ExitInfo{});
  const bool asked = event.phase == Phase::kShutdown || IsClientEvent(event);
  if (!exit.exit_code || !asked || !event.evidence.is_object()) return "";
  const auto clean = event.evidence.value("clean_exits", nlohmann::json());
  if (!clean.is_array()) return "";
  std::vector<std::string> codes;
  for (const auto& code : clean) codes.push_back(code.dump());
  return fmt::format("; clean exits: {}", codes.empty()
                                              ? std::string("none")
                                              : fmt::format("{}", fmt::join(codes, ", ")));
}

// evidence.title (crash_evidence.h) on one line: its lines joined by "; ", at most
// kMaxTitleChars (the evidence keeps it whole); "" when there is none.
std::string TitleOf(const nlohmann::json& evidence) {
  constexpr std::size_t kMaxTitleChars = 300;
  if (!evidence.is_object()) return "";
  auto it = evidence.find("title");
  if (it == evidence.end() || !it->is_string()) return "";
  std::string title = it->get<std::string>();
  for (auto newline = title.find('\n'); newline != std::string::npos;
       newline = title.find('\n', newline)) {
    title.replace(newline, 1, "; ");
  }
  if (title.size() > kMaxTitleChars) title = title.substr(0, kMaxTitleChars - 3) + "...";
  return title;
}

std::string Summary(const ProcessEvent& event) {
  std::string summary = fmt::format(
      "{} {} {}{} (pid {}){}", event.target.empty() ? "target" : event.target, HowItEnded(event),
      PhaseWords(event.phase), CycleWords(event), event.pid, CleanExitsNote(event));
  std::string title = TitleOf(event.evidence);
  if (!title.empty()) summary += ": " + title;
  return summary;
}

nlohmann::json Evidence(const ProcessEvent& event) {
  nlohmann::json evidence = event.evidence.is_object() ? event.evidence : nlohmann::json::object();
  const ExitInfo exit = event.exit.value_or(ExitInfo{});
  evidence["signal"] = exit.signal ? nlohmann::json(SignalName(*exit.signal)) : nullptr;
  evidence["exit_code"] = exit.exit_code ? nlohmann::json(*exit.exit_code) : nullptr;
  evidence["core_dumped"] = exit.core_dumped;
  evidence["phase"] = ToString(event.phase);
  evidence["pid"] = event.pid;
  evidence["time_ms"] = NanosToMillis(event.time_ns);
  AddCycle(event, evidence);
  return evidence;
}

}  // namespace

bool IsCrash(const ProcessEvent& event) {
  if (event.action != ProcessAction::kExited) return false;
  if (IsClientEvent(event)) {
    if (event.killed_by_harness) return false;  // after its deadline: CheckHangs reports it
    const ExitInfo exit = event.exit.value_or(ExitInfo{});
    return exit.signal.has_value() || exit.core_dumped ||
           !event.evidence.value("title", std::string()).empty();
  }
  if (event.phase != Phase::kShutdown) return true;
  return !event.clean && !event.killed_by_harness;
}

bool IsUnexpectedExit(const ProcessEvent& event) {
  if (!IsCrash(event) || IsClientEvent(event) || event.phase == Phase::kShutdown) return false;
  const ExitInfo exit = event.exit.value_or(ExitInfo{});
  return exit.exit_code.has_value() && !exit.core_dumped && TitleOf(event.evidence).empty();
}

std::vector<Failure> CheckCrashes(const History& history) {
  std::vector<Failure> failures;
  for (const ProcessEvent& event : history.processes) {
    if (!IsCrash(event)) continue;
    const FailureKind kind = IsUnexpectedExit(event) ? FailureKind::kExit : FailureKind::kCrash;
    failures.push_back({kind, event.target, Summary(event), Evidence(event)});
  }
  return failures;
}

}  // namespace stampede
