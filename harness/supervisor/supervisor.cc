#include "supervisor/supervisor.h"

#include <poll.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "core/clock.h"
#include "core/signals.h"
#include "supervisor/core_dump.h"
#include "supervisor/crash_evidence.h"
#include "supervisor/hang_evidence.h"
#include "supervisor/loopback.h"
#include "supervisor/port_release.h"

namespace stampede {
namespace {

using std::chrono::milliseconds;

constexpr int kTailLines = 40;
constexpr milliseconds kProbeInterval(20);
constexpr milliseconds kKillWait(10000);
constexpr milliseconds kGdbTimeout(30000);
constexpr std::size_t kMaxGroupBacktraces = 4;

// The last `max_bytes` of a file.
std::string ReadTail(const std::filesystem::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return {};
  auto size = static_cast<std::size_t>(in.tellg());
  auto start = size > max_bytes ? size - max_bytes : 0;
  in.seekg(static_cast<std::streamoff>(start));
  std::string text(size - start, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  return text;
}

// Empty when the log matches `pattern`, else why not.
std::string LogMatchError(const std::filesystem::path& path, const std::string& pattern) {
  const std::string tail = ReadTail(path, 1 << 20);
  if (std::regex_search(tail, std::regex(pattern))) return {};
  return path.filename().string() + " (" + std::to_string(tail.size()) +
         " bytes) has no match for /" + pattern + "/";
}

const char* ProbeName(ProbeKind kind) {
  switch (kind) {
    case ProbeKind::kNone:
      return "none";
    case ProbeKind::kTcp:
      return "tcp";
    case ProbeKind::kHttp:
      return "http";
    case ProbeKind::kLog:
      return "log";
  }
  return "?";
}

// Sleeps until the child may have exited or `wait` passes.
void WaitOnChild(const ChildProcess& child, milliseconds wait) {
  pollfd pfd{child.pidfd(), POLLIN, 0};
  poll(&pfd, 1, static_cast<int>(wait.count()));
}

std::string DescribeExit(const ExitInfo& exit) {
  if (exit.signal) {
    return "killed by " + SignalName(*exit.signal) + (exit.core_dumped ? " (core dumped)" : "");
  }
  return "exited with code " + std::to_string(exit.exit_code.value_or(-1));
}

}  // namespace

Error NotReadyError(const ResolvedTarget& target, const Supervisor& supervisor) {
  return EnvironmentError("target \"" + target.name + "\" was not ready within " +
                          std::to_string(target.ready.deadline_ms) +
                          " ms: " + supervisor.ProbeSummary(target.name) + "; see " +
                          supervisor.StderrPath(target.name).string());
}

bool IsCleanStop(const StopSpec& stop, const ExitInfo& exit) {
  const auto& codes = stop.clean_exit_codes;
  const auto& signals = stop.clean_signals;
  if (exit.exit_code) return std::find(codes.begin(), codes.end(), *exit.exit_code) != codes.end();
  if (exit.signal) return std::find(signals.begin(), signals.end(), *exit.signal) != signals.end();
  return false;
}

Supervisor::Supervisor(HistoryWriter& writer, std::int64_t origin_ns, std::filesystem::path run_dir,
                       std::optional<int> cycle)
    : writer_(writer), origin_ns_(origin_ns), run_dir_(std::move(run_dir)), cycle_(cycle) {}

Supervisor::~Supervisor() {
  KillAll();
}

void Supervisor::SweepStrays(bool record) {
  std::vector<int> groups;
  for (const auto& managed : targets_) groups.push_back(managed->child->pid());
  for (const auto& stray : stampede::SweepStrays(run_mark_, groups)) {
    if (!record) continue;
    ProcessEvent event;
    event.action = ProcessAction::kStrayKilled;
    event.target = stray.target;
    event.pid = stray.pid;
    event.phase = Phase::kShutdown;
    event.cycle = cycle_;
    event.detail = "pid " + std::to_string(stray.pid) + " (" + stray.command + "), started by " +
                   stray.target + " outside its process group, outlived it; killed";
    event.evidence = {{"command", stray.command}};
    Record(std::move(event));
  }
}

Supervisor::Managed* Supervisor::Latest(const std::string& name) const {
  for (auto it = targets_.rbegin(); it != targets_.rend(); ++it) {
    if ((*it)->target.name == name) return it->get();
  }
  return nullptr;
}

std::filesystem::path Supervisor::StdoutPath(const std::string& target) const {
  const Managed* latest = Latest(target);
  return run_dir_ / ((latest ? latest->log_stem : target) + ".stdout");
}

std::filesystem::path Supervisor::StderrPath(const std::string& target) const {
  const Managed* latest = Latest(target);
  return run_dir_ / ((latest ? latest->log_stem : target) + ".stderr");
}

ProcessEvent Supervisor::EventFor(const Managed& managed, ProcessAction action) const {
  ProcessEvent event;
  event.action = action;
  event.target = managed.target.name;
  event.pid = managed.child ? managed.child->pid() : 0;
  event.phase = managed.phase;
  event.cycle = cycle_;
  return event;
}

void Supervisor::Record(ProcessEvent event) {
  RecordAt(std::move(event), Now());
}

void Supervisor::RecordAt(ProcessEvent event, std::int64_t at_ns) {
  event.time_ns = at_ns;
  writer_.Write(event);
  events_.push_back(std::move(event));
}

std::int64_t Supervisor::Now() const {
  return MonotonicNanos() - origin_ns_;
}

Result<StartOutcome> Supervisor::Start(const ResolvedTarget& target, const std::stop_token& abort) {
  const auto starts = std::count_if(targets_.begin(), targets_.end(),
                                    [&](const auto& m) { return m->target.name == target.name; });
  const std::string stem =
      starts == 0 ? target.name : target.name + "." + std::to_string(starts + 1);
  LaunchSpec spec{target.argv, target.env, run_dir_ / (stem + ".stdout"),
                  run_dir_ / (stem + ".stderr")};
  spec.env[kRunMarkVariable] = RunMarkValue(run_mark_, target.name);
  spec.log_cap_bytes = target.log_cap_bytes;
  spec.cpus = target.cpus;
  spec.nice = target.nice;
  spec.dump_core = true;
  auto child = ChildProcess::Start(spec);
  if (!child.ok()) {
    return EnvironmentError("target \"" + target.name + "\": " + child.error().message);
  }
  targets_.push_back(std::make_unique<Managed>());
  Managed& managed = *targets_.back();
  managed.target = target;
  managed.log_stem = stem;
  managed.child = std::move(child.value());
  auto spawned = EventFor(managed, ProcessAction::kSpawned);
  spawned.evidence = {{"argv", target.argv}, {"port", target.port}};
  if (!target.cpus.empty()) spawned.evidence["cpus"] = target.cpus;
  if (target.nice != 0) spawned.evidence["nice"] = target.nice;
  Record(spawned);

  auto deadline = MonoClock::now() + milliseconds(target.ready.deadline_ms);
  for (;;) {
    if (managed.child->Poll()) {
      RecordExit(managed, false);
      return StartOutcome::kDied;
    }
    if (abort.stop_requested()) return StartOutcome::kAborted;
    ++managed.probe_attempts;
    managed.last_probe_error = ProbeOnce(managed);
    if (managed.last_probe_error.empty()) break;
    if (MonoClock::now() >= deadline) {
      auto event = EventFor(managed, ProcessAction::kNotReady);
      event.detail = target.name + " was not ready within " +
                     std::to_string(target.ready.deadline_ms) + " ms: " + ProbeSummary(target.name);
      event.evidence = {
          {"probe",
           {{"kind", ProbeName(target.ready.probe)},
            {"attempts", managed.probe_attempts},
            {"last_error", managed.last_probe_error}}},
          {"stdout_tail", TailLines(ReadTail(StdoutPath(target.name), 16384), kTailLines)},
          {"stderr_tail", TailLines(ReadTail(StderrPath(target.name), 16384), kTailLines)}};
      Record(event);
      return StartOutcome::kNotReady;
    }
    WaitOnChild(*managed.child, kProbeInterval);
  }
  managed.phase = Phase::kRunning;
  Record(EventFor(managed, ProcessAction::kReady));
  if (observer_) observer_->Started(target.name, managed.child->pid());
  return StartOutcome::kReady;
}

std::string Supervisor::ProbeOnce(const Managed& managed) const {
  const auto& ready = managed.target.ready;
  switch (ready.probe) {
    case ProbeKind::kNone:
      return {};
    case ProbeKind::kTcp: {
      auto connected = TryTcpConnect(managed.target.port, milliseconds(200));
      return connected.ok() ? std::string() : connected.error().message;
    }
    case ProbeKind::kHttp: {
      auto status = HttpGetStatus(managed.target.port, ready.path, milliseconds(1000));
      if (!status.ok()) return status.error().message;
      if (status.value() == ready.status) return {};
      return "GET " + ready.path + ": status " + std::to_string(status.value()) + ", expected " +
             std::to_string(ready.status);
    }
    case ProbeKind::kLog:
      return LogMatchError(run_dir_ / (managed.log_stem + "." + ready.stream), ready.pattern);
  }
  return "unknown probe";
}

std::string Supervisor::ProbeSummary(const std::string& name) const {
  const Managed* latest = Latest(name);
  if (latest == nullptr) return "never started";
  return "the " + std::string(ProbeName(latest->target.ready.probe)) + " probe failed " +
         std::to_string(latest->probe_attempts) + " times, last: " + latest->last_probe_error;
}

bool Supervisor::PollExits() {
  bool died = false;
  for (auto& managed : targets_) {
    if (managed->exit_recorded || !managed->child->Poll()) continue;
    RecordExit(*managed, false);
    died = true;
  }
  return died;
}

std::vector<int> Supervisor::RunningPidfds() const {
  std::vector<int> fds;
  for (const auto& managed : targets_) {
    if (!managed->exit_recorded) fds.push_back(managed->child->pidfd());
  }
  return fds;
}

void Supervisor::Release(const Managed& managed) {
  if (observer_) observer_->Released(managed.child->pid());
}

void Supervisor::RecordExit(Managed& managed, bool killed_by_harness) {
  const auto seen = Now();  // the exit's time, not the end of its evidence (gdb on the core)
  Release(managed);
  const ExitInfo& exit = *managed.child->exit();
  auto event = EventFor(managed, ProcessAction::kExited);
  event.exit = exit;
  event.killed_by_harness = killed_by_harness;
  event.clean = (managed.phase == Phase::kShutdown || managed.target.runs_to_exit) &&
                IsCleanStop(managed.target.stop, exit);
  if (managed.target.runs_to_exit) event.evidence["role"] = "client";
  if (exit.exit_code) event.evidence["clean_exits"] = managed.target.stop.clean_exit_codes;
  event.detail = managed.target.name + " " + DescribeExit(exit);
  const auto stderr_path = run_dir_ / (managed.log_stem + ".stderr");
  auto stderr_text = ReadTail(stderr_path, 1 << 20);
  auto title = CrashTitle(stderr_text);
  if (!title.empty()) event.evidence["title"] = title;
  event.evidence["stderr_tail"] = TailLines(stderr_text, kTailLines);
  event.evidence["stderr_path"] = stderr_path.string();
  event.evidence["stdout_path"] = (run_dir_ / (managed.log_stem + ".stdout")).string();
  if (exit.core_dumped) AddCoreEvidence(managed, event.evidence);
  managed.exit_recorded = true;
  managed.child->KillGroup();  // anything the target left behind in its group
  RecordAt(event, seen);
}

void Supervisor::AddCoreEvidence(const Managed& managed, nlohmann::json& evidence) const {
  std::error_code ec;
  const auto cwd = std::filesystem::current_path(ec);  // the targets' folder: they inherit ours
  // Coarse file times may put the core's a little before the spawn as the clock read it.
  const auto since = managed.child->started_at() - std::chrono::seconds(2);
  const auto began = MonotonicNanos();
  evidence.update(CoreEvidence(managed.child->program(), cwd, since,
                               run_dir_ / (managed.log_stem + ".core-backtraces.txt"), keep_cores_,
                               kGdbTimeout));
  evidence["capture_ms"] = (MonotonicNanos() - began) / 1000000;
}

void Supervisor::RequestStop(Managed& managed) {
  managed.phase = Phase::kShutdown;
  auto event = EventFor(managed, ProcessAction::kStopRequested);
  const auto& stop = managed.target.stop;
  if (!stop.http_path.empty()) {
    auto status = HttpGetStatus(managed.target.port, stop.http_path, milliseconds(2000));
    event.detail = "GET " + stop.http_path + " -> " +
                   (status.ok() ? std::to_string(status.value()) : status.error().message);
  } else {
    managed.child->Signal(stop.signal);
    event.detail = "sent " + SignalName(stop.signal);
  }
  Record(event);
}

void Supervisor::RecordHang(Managed& managed) {
  const auto deadline_passed = Now();
  Release(managed);
  auto event = EventFor(managed, ProcessAction::kStopTimeout);
  event.detail = managed.target.name + " did not stop within " +
                 std::to_string(managed.target.stop.deadline_ms) + " ms";
  event.evidence["deadline_ms"] = managed.target.stop.deadline_ms;
  AddLiveEvidence(managed, event.evidence);
  RecordAt(event, deadline_passed);
}

void Supervisor::RecordUnresponsive(int port, const std::string& summary,
                                    const nlohmann::json& details) {
  const auto seen = Now();
  std::vector<Managed*> blamed;
  for (auto& managed : targets_) {
    if (!managed->exit_recorded && managed->target.port == port) blamed.push_back(managed.get());
  }
  if (blamed.empty()) {
    for (auto& managed : targets_) {
      if (!managed->exit_recorded) blamed.push_back(managed.get());
    }
  }
  if (blamed.empty()) {
    ProcessEvent event;
    event.action = ProcessAction::kUnresponsive;
    event.phase = Phase::kRunning;
    event.cycle = cycle_;
    event.detail = "port " + std::to_string(port) + " " + summary;
    event.evidence = details;
    event.evidence["note"] = "no running target to take evidence from";
    Record(event);
    return;
  }
  for (Managed* managed : blamed) Release(*managed);
  for (Managed* managed : blamed) {
    auto event = EventFor(*managed, ProcessAction::kUnresponsive);
    event.detail = managed->target.name + " " + summary;
    event.evidence = details;
    AddLiveEvidence(*managed, event.evidence);
    RecordAt(event, seen);
  }
}

void Supervisor::RecordOverdue(const std::string& name, int deadline_ms) {
  for (auto& managed : targets_) {
    if (managed->target.name != name || managed->exit_recorded) continue;
    const auto deadline_passed = Now();
    Release(*managed);
    auto event = EventFor(*managed, ProcessAction::kUnresponsive);
    event.detail = name + " did not exit within " + std::to_string(deadline_ms) + " ms";
    event.evidence = {{"role", "client"}, {"deadline_ms", deadline_ms}};
    AddLiveEvidence(*managed, event.evidence);
    RecordAt(event, deadline_passed);
    managed->child->KillGroup();
    auto until = MonoClock::now() + kKillWait;
    while (!managed->child->Poll() && MonoClock::now() < until) {
      WaitOnChild(*managed->child, milliseconds(50));
    }
    if (managed->child->exit()) RecordExit(*managed, true);
  }
}

bool Supervisor::HasExited(const std::string& name) const {
  const Managed* latest = Latest(name);
  return latest != nullptr && latest->exit_recorded;
}

Status Supervisor::Signal(const std::string& name, int signal, bool group) {
  Managed* latest = Latest(name);
  if (latest == nullptr || latest->exit_recorded) {
    return InvalidInput("target \"" + name + "\" is not running");
  }
  const bool sent = group ? latest->child->SignalGroup(signal) : latest->child->Signal(signal);
  if (!sent) return InvalidInput("target \"" + name + "\" is not running");
  return {};
}

Result<std::string> Supervisor::StopTarget(const std::string& name, const std::stop_token& abort) {
  Managed* latest = Latest(name);
  if (latest == nullptr || latest->exit_recorded) {
    return InvalidInput("target \"" + name + "\" is not running");
  }
  const auto from = events_.size();
  const auto started = MonoClock::now();
  Stop(*latest, abort);
  std::string outcome;
  for (auto i = from; i < events_.size(); ++i) {
    if (events_[i].action == ProcessAction::kStopTimeout) outcome += events_[i].detail + "; ";
    if (events_[i].action == ProcessAction::kExited) outcome += events_[i].detail;
    if (events_[i].action == ProcessAction::kPortHeld) outcome += "; port still held";
  }
  const auto took = std::chrono::duration_cast<milliseconds>(MonoClock::now() - started).count();
  return outcome + " after " + std::to_string(took) + " ms";
}

void Supervisor::AddLiveEvidence(const Managed& managed, nlohmann::json& evidence) const {
  const auto& name = managed.target.name;
  const int pid = managed.child->pid();
  const auto began = MonotonicNanos();
  managed.child->SettleLogs();
  auto members = ProcessGroupMembers(pid);
  evidence["sockets"] = CaptureGroupSockets(members.empty() ? std::vector<int>{pid} : members);
  evidence["backtraces"] =
      CaptureBacktraces(pid, run_dir_ / (name + ".backtraces.txt"), kGdbTimeout);
  // A master/worker server (nginx) hangs in its workers: their stacks too, a few at most.
  auto others = nlohmann::json::array();
  for (std::size_t i = 0; i < members.size() && others.size() < kMaxGroupBacktraces; ++i) {
    if (members[i] == pid) continue;
    auto file = run_dir_ / (name + "." + std::to_string(members[i]) + ".backtraces.txt");
    others.push_back(
        {{"pid", members[i]}, {"backtraces", CaptureBacktraces(members[i], file, kGdbTimeout)}});
  }
  std::string stacks = evidence["backtraces"].value("text", "");
  for (const auto& other : others) stacks += "\n" + other["backtraces"].value("text", "");
  if (auto waiting = WaitingFrames(stacks); !waiting.empty()) evidence["waiting_in"] = waiting;
  if (!others.empty()) evidence["group_backtraces"] = std::move(others);
  evidence["log_tail"] =
      TailLines(ReadTail(run_dir_ / (managed.log_stem + ".stderr"), 16384), kTailLines);
  evidence["capture_ms"] = (MonotonicNanos() - began) / 1000000;
}

void Supervisor::RecordPortHeld(const Managed& managed, nlohmann::json listeners) {
  auto event = EventFor(managed, ProcessAction::kPortHeld);
  const int port = managed.target.port;
  const int grace_ms = managed.target.stop.port_release_ms;
  event.detail = managed.target.name + " exited, but port " + std::to_string(port) +
                 " was still listening " + std::to_string(grace_ms) + " ms later";
  event.evidence = {{"port", port}, {"grace_ms", grace_ms}, {"listeners", std::move(listeners)}};
  Record(event);
}

void Supervisor::Stop(Managed& managed, const std::stop_token& abort) {
  if (managed.exit_recorded) return;
  if (managed.child->Poll()) {
    RecordExit(managed, false);
    return;
  }
  managed.phase = Phase::kShutdown;
  if (!abort.stop_requested()) RequestStop(managed);
  auto deadline = MonoClock::now() + milliseconds(managed.target.stop.deadline_ms);
  while (!managed.child->Poll() && MonoClock::now() < deadline && !abort.stop_requested()) {
    WaitOnChild(*managed.child, milliseconds(50));
  }
  if (managed.child->exit()) {
    nlohmann::json listeners = nlohmann::json::array();
    const auto& stop = managed.target.stop;
    if (IsCleanStop(stop, *managed.child->exit()) && stop.port_release_ms > 0 &&
        managed.target.port > 0) {
      listeners = WaitForPortRelease(managed.target.port, milliseconds(stop.port_release_ms));
    }
    RecordExit(managed, false);
    if (!listeners.empty()) RecordPortHeld(managed, std::move(listeners));
    return;
  }
  if (!abort.stop_requested()) RecordHang(managed);
  managed.child->KillGroup();
  managed.child->WaitFor(kKillWait);
  if (managed.child->exit()) RecordExit(managed, true);
}

void Supervisor::StopAll(const std::stop_token& abort) {
  for (auto it = targets_.rbegin(); it != targets_.rend(); ++it) Stop(**it, abort);
  SweepStrays(true);
  writer_.Flush();
}

void Supervisor::KillAll() {
  for (auto& managed : targets_) {
    if (!managed->exit_recorded) managed->child->KillGroup();
  }
  SweepStrays(false);
}

}  // namespace stampede
