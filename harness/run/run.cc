#include "run/run.h"

#include <poll.h>

#include <atomic>
#include <set>
#include <thread>

#include "checkers/cycles.h"
#include "checkers/errors_checker.h"
#include "checkers/hang_checker.h"
#include "checkers/mismatch_checker.h"
#include "checkers/stats.h"
#include "checkers/target_times.h"
#include "checkers/timeline.h"
#include "checkers/unanswered_checker.h"
#include "core/atomic_file.h"
#include "core/clock.h"
#include "faults/fault_proxies.h"
#include "perturb/perturbation_scope.h"
#include "run/client_fixture.h"
#include "run/history_pass.h"
#include "run/judge.h"
#include "run/resolve_target.h"
#include "run/run_dir.h"
#include "run/scenario_streams.h"
#include "run/start_stop_cycles.h"
#include "run/target_control.h"
#include "scenario/file_template.h"
#include "supervisor/containment.h"
#include "supervisor/loopback.h"
#include "supervisor/supervisor.h"
#include "timeline/downtime.h"
#include "timeline/nemesis.h"
#include "timeline/resolve_actions.h"
#include "timeline/stall_watch.h"
#include "timeline/stream_runner.h"
#include "workloads/fixture_server.h"

namespace stampede {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kProgressPeriod{200};

// One attempt; see RunScenario.
class Attempt {
 public:
  Attempt(const Scenario& scenario, const RunOptions& options, const std::stop_token& abort)
      : scenario_(scenario), options_(options), abort_(abort) {}

  Result<RunReport> Run();

 private:
  Status Prepare();
  Status ResolveTargets(std::vector<ResolvedTarget>& targets);
  // Writes the target's configuration files into the run folder.
  Status WriteFiles(const TargetSpec& target, int port);
  bool StartTargets(const std::vector<ResolvedTarget>& targets);
  // Builds each stream's workload once, so that a refused address stops the run before any
  // target starts.
  Status CheckWorkloads(const std::vector<StreamSpec>& streams) const;
  // A client-run's client: the run also waits until it exits, at most `deadline_ms`.
  struct ClientWait {
    std::string name;  // empty: no client
    int deadline_ms = 0;
  };
  // Marks the client-run's client as a target that runs to its exit.
  static ClientWait MarkClient(const ClientRunSpec& spec, std::vector<ResolvedTarget>& targets);
  // True when the client (if any) has exited, or is overdue (then recorded as such).
  bool ClientDone(const ClientWait& client, MonoClock::time_point deadline);
  // Runs the streams and the nemesis until the run is over (see the loop's comment).
  void DriveTimeline(const std::vector<ResolvedTarget>& targets, std::vector<StreamSpec> streams,
                     std::vector<ResolvedAction> actions, const ClientWait& client);
  // Ends every stream and the nemesis and moves their operations into the history.
  void CollectTimeline(std::vector<std::unique_ptr<StreamRunner>>& runners, Nemesis& nemesis,
                       TargetControl& control);
  void ReportProgress(const std::vector<std::unique_ptr<StreamRunner>>& runners) const;
  // Records a stall seen while the run goes on as a kUnresponsive event of every running
  // target, with evidence taken now, while they are stuck.
  void RecordLiveStall(const LiveStall& stall);
  // Records, as kUnresponsive events with evidence taken now, what each stream that holds a
  // target found unresponsive (StreamRunner::StuckNow) while it still holds its connections;
  // true when there was any.
  bool RecordStuckStreams(const std::vector<std::unique_ptr<StreamRunner>>& runners);
  void RunCycles(const StartStopSpec& spec, const std::vector<ResolvedTarget>& targets);
  Status StartFixture(const ClientRunSpec& spec);
  // Moves every request the fixture saw into the history (f "serve GET /path").
  void RecordFixtureRequests();
  // The pass over the whole history (see RunHistoryPass), with the scenario's checks.
  HistoryPassResult PassOverHistory();
  void Judge();
  void SetupError(const Error& error);

  const Scenario& scenario_;
  const RunOptions& options_;
  const std::stop_token& abort_;
  std::filesystem::path dir_;
  HistoryWriter writer_;
  std::int64_t origin_ns_ = MonotonicNanos();
  std::chrono::system_clock::time_point started_ = std::chrono::system_clock::now();
  std::unique_ptr<Supervisor> supervisor_;
  PerturbationScope perturbation_{scenario_.perturb};  // started before the first target
  PlaceholderValues values_;
  std::vector<int> ports_;
  History history_;                     // the operations kept in memory, and every process event
  std::unique_ptr<SpillFiles> spills_;  // the load streams' operations, on disk
  std::vector<Operation> cycle_ops_;
  std::unique_ptr<FixtureServer> fixture_;
  std::vector<int> fault_ports_;  // in the order of scenario_.faults
  FaultProxies faults_{writer_, origin_ns_};
  std::string fixture_url_;
  std::filesystem::path logs_dir_;  // the targets' logs: the run folder, or the last cycle's
  bool timed_out_ = false;
  bool stalled_live_ = false;             // the run ended on a stall (RecordLiveStall)
  std::set<std::string> stuck_recorded_;  // streams whose RecordStuckStreams event is recorded
  // Each stream's workload figures (StreamRunner::figures), merged into the verdict's stats.
  std::vector<std::pair<std::string, nlohmann::json>> workload_figures_;
  RunReport report_;
};

Result<RunReport> Attempt::Run() {
  if (auto prepared = Prepare(); !prepared.ok()) return prepared.error();
  std::vector<ResolvedTarget> targets;
  const auto* start_stop = std::get_if<StartStopSpec>(&scenario_.workload);
  const auto* client_run = std::get_if<ClientRunSpec>(&scenario_.workload);
  Status setup = RequireNetworkIsolation(scenario_.isolate_network);
  if (setup.ok() && client_run && client_run->fixture) setup = StartFixture(*client_run);
  if (!setup.ok()) {
    SetupError(setup.error());
  } else if (auto resolved = ResolveTargets(targets); !resolved.ok()) {
    SetupError(resolved.error());
  } else if (start_stop) {
    RunCycles(*start_stop, targets);
  } else if (auto checked = CheckWorkloads(ScenarioStreams(scenario_)); !checked.ok()) {
    SetupError(checked.error());
  } else if (auto actions = ResolveActions(scenario_.actions, values_, options_.network);
             !actions.ok()) {
    SetupError(actions.error());
  } else if (auto faults = faults_.Start(scenario_.faults, fault_ports_, values_, options_.network,
                                         options_.seed);
             !faults.ok()) {
    SetupError(faults.error());
  } else {
    const ClientWait client = client_run ? MarkClient(*client_run, targets) : ClientWait{};
    if (StartTargets(targets))
      DriveTimeline(targets, ScenarioStreams(scenario_), std::move(actions.value()), client);
  }
  supervisor_->StopAll(abort_);
  report_.verdict.perturbation = perturbation_.Stop();
  history_.MergeOps(perturbation_.TakeOps());
  report_.verdict.faults = faults_.Stop();
  history_.MergeOps(faults_.TakeOps());
  if (fixture_) RecordFixtureRequests();
  if (!start_stop) history_.processes = supervisor_->events();
  Judge();
  return std::move(report_);
}

Status Attempt::Prepare() {
  auto dir = PrepareRunDir(options_.out_dir, options_.runs_root, scenario_.name, started_);
  if (!dir.ok()) return dir.error();
  dir_ = std::filesystem::absolute(dir.value());
  report_.dir = dir_;
  if (auto opened = writer_.Open(dir_ / "history.jsonl"); !opened.ok()) return opened;
  supervisor_ = std::make_unique<Supervisor>(writer_, origin_ns_, dir_);
  supervisor_->KeepCores(options_.keep_cores);
  perturbation_.StartFreezer(writer_, origin_ns_, options_.seed);
  supervisor_->ObserveGroups(&perturbation_);
  spills_ = std::make_unique<SpillFiles>(dir_);
  logs_dir_ = dir_;
  return {};
}

Status Attempt::ResolveTargets(std::vector<ResolvedTarget>& targets) {
  values_ = {{"targets", options_.targets_dir.string()},
             {"run_dir", dir_.string()},
             {"scenario_dir", std::filesystem::absolute(scenario_.file).parent_path().string()},
             {"seed", std::to_string(options_.seed)}};
  if (fixture_) {
    values_["fixture.port"] = std::to_string(fixture_->port());
    values_["url"] = fixture_url_;
  }
  auto ports = AllocateRunPorts(scenario_, values_);
  if (!ports.ok()) return ports.error();
  ports_ = std::move(ports.value().targets);
  fault_ports_ = std::move(ports.value().faults);
  for (std::size_t i = 0; i < scenario_.targets.size(); ++i) {
    auto target = ResolveTarget(scenario_.targets[i], ports_[i], values_);
    if (!target.ok()) return target.error();
    target.value().cpus = perturbation_.CpusFor(target.value().name);
    target.value().nice = perturbation_.NiceFor(target.value().name);
    targets.push_back(std::move(target.value()));
    if (auto written = WriteFiles(scenario_.targets[i], ports_[i]); !written.ok()) return written;
  }
  return {};
}

Status Attempt::WriteFiles(const TargetSpec& target, int port) {
  PlaceholderValues values = values_;
  values["port"] = std::to_string(port);
  for (const auto& file : target.files) {
    auto written = WriteFileAtomically(dir_ / file.name, ExpandFileTemplate(file.content, values));
    if (!written.ok()) return written;
  }
  return {};
}

bool Attempt::StartTargets(const std::vector<ResolvedTarget>& targets) {
  // Servers first: a client under test starts once every server target is ready, wherever it
  // is listed.
  std::vector<const ResolvedTarget*> ordered;
  for (const auto& target : targets) {
    if (!target.runs_to_exit) ordered.push_back(&target);
  }
  for (const auto& target : targets) {
    if (target.runs_to_exit) ordered.push_back(&target);
  }
  for (const ResolvedTarget* next : ordered) {
    const ResolvedTarget& target = *next;
    auto outcome = supervisor_->Start(target, abort_);
    if (!outcome.ok()) {
      SetupError(outcome.error());
      return false;
    }
    if (outcome.value() == StartOutcome::kNotReady) {
      SetupError(NotReadyError(target, *supervisor_));
      return false;
    }
    if (outcome.value() != StartOutcome::kReady) return false;
  }
  return true;
}

Status Attempt::CheckWorkloads(const std::vector<StreamSpec>& streams) const {
  for (const auto& stream : streams) {
    auto made = MakeWorkload(stream.workload, values_, options_.network);
    if (!made.ok()) {
      if (stream.name.empty()) return made.error();
      return Error{made.error().kind, "load \"" + stream.name + "\": " + made.error().message};
    }
  }
  return {};
}

// The run is over when every foreground stream has ended and the nemesis has nothing left to
// do (a client-run: when its client has exited or is overdue); it ends early when a server
// dies, a stream finds a target unresponsive, the run's timeout passes, or the user
// interrupts. Background streams are then stopped.
void Attempt::DriveTimeline(const std::vector<ResolvedTarget>& targets,
                            std::vector<StreamSpec> streams, std::vector<ResolvedAction> actions,
                            const ClientWait& client) {
  SupervisorControl control(*supervisor_, targets, faults_, abort_);
  Nemesis nemesis(std::move(actions), writer_, origin_ns_, dir_);
  std::vector<std::unique_ptr<StreamRunner>> runners;
  for (auto& stream : streams) {
    WorkloadFactory make = [this, workload = stream.workload] {
      return MakeWorkload(workload, values_, options_.network);
    };
    runners.push_back(std::make_unique<StreamRunner>(std::move(stream), std::move(make), writer_,
                                                     origin_ns_, spills_.get()));
  }
  if (options_.progress) ReportProgress(runners);  // at least once, however short
  const auto begin = MonoClock::now();
  for (auto& runner : runners) runner->Start();
  const auto deadline = begin + milliseconds(scenario_.timeout_ms);
  const auto client_deadline = begin + milliseconds(client.deadline_ms);
  auto next_progress = begin;
  StallWatch stalls(scenario_.checks.stall_ms);
  std::set<std::string> announced;  // loads whose end the nemesis knows
  for (;;) {
    const auto now = MonoClock::now();
    const auto elapsed_ms = std::chrono::duration_cast<milliseconds>(now - begin).count();
    if (options_.progress && now >= next_progress) {
      next_progress += kProgressPeriod;
      ReportProgress(runners);
    }
    const bool acted = nemesis.Tick(elapsed_ms, control);
    for (auto& runner : runners) {
      if (runner->finished() && announced.insert(runner->spec().name).second) {
        nemesis.NoteEvent("load:" + runner->spec().name, elapsed_ms);
      }
    }
    const bool loads_done = std::all_of(runners.begin(), runners.end(), [](const auto& r) {
      return r->spec().background || r->finished();
    });
    const bool unresponsive = std::any_of(runners.begin(), runners.end(), [](const auto& r) {
      return r->finished() && r->unresponsive().has_value();
    });
    // A client-run ends with its client, whatever the actions still had to do.
    const bool done = client.name.empty() ? loads_done && nemesis.Finished()
                                          : ClientDone(client, client_deadline);
    if (done || unresponsive || RecordStuckStreams(runners)) break;
    const StreamProgress total = TotalProgress(runners);
    if (auto stall = stalls.Observe(elapsed_ms, total.done, total.in_flight)) {
      RecordLiveStall(*stall);
      break;
    }
    std::vector<pollfd> polled;
    for (int fd : supervisor_->RunningPidfds()) polled.push_back({fd, POLLIN, 0});
    std::int64_t wait_ms = acted ? 0 : 50;
    if (auto next = nemesis.NextDueMs(); next >= 0) {
      wait_ms = std::clamp<std::int64_t>(next - elapsed_ms, 0, wait_ms);
    }
    poll(polled.data(), polled.size(), static_cast<int>(wait_ms));
    if (abort_.stop_requested()) break;
    if (supervisor_->PollExits() && std::any_of(targets.begin(), targets.end(), [&](const auto& t) {
          return !t.runs_to_exit && supervisor_->HasExited(t.name);
        })) {
      break;  // a server died
    }
    if (MonoClock::now() > deadline) {
      timed_out_ = true;
      break;
    }
  }
  CollectTimeline(runners, nemesis, control);
}

void Attempt::CollectTimeline(std::vector<std::unique_ptr<StreamRunner>>& runners, Nemesis& nemesis,
                              TargetControl& control) {
  nemesis.Finish(control);
  for (auto& runner : runners) runner->RequestStop();
  for (auto& runner : runners) {
    history_.MergeOps(runner->Take());
    if (runner->error()) SetupError(*runner->error());
    if (!runner->figures().is_null()) {
      workload_figures_.emplace_back(runner->spec().name, runner->figures());
    }
    if (stuck_recorded_.contains(runner->spec().name)) continue;  // evidence taken live
    if (const auto& unresponsive = runner->unresponsive()) {
      supervisor_->RecordUnresponsive(unresponsive->port, unresponsive->summary,
                                      unresponsive->details);
    }
  }
  history_.MergeOps(nemesis.Take());
}

bool Attempt::RecordStuckStreams(const std::vector<std::unique_ptr<StreamRunner>>& runners) {
  for (const auto& runner : runners) {
    if (stuck_recorded_.contains(runner->spec().name)) continue;
    if (auto stuck = runner->StuckNow()) {
      supervisor_->RecordUnresponsive(stuck->port, stuck->summary, stuck->details);
      stuck_recorded_.insert(runner->spec().name);
    }
  }
  return !stuck_recorded_.empty();
}

void Attempt::RecordLiveStall(const LiveStall& stall) {
  stalled_live_ = true;
  supervisor_->RecordUnresponsive(0, StallSummary(stall, scenario_.checks.stall_ms),
                                  StallFigures(stall, scenario_.checks.stall_ms));
}

void Attempt::ReportProgress(const std::vector<std::unique_ptr<StreamRunner>>& runners) const {
  const StreamProgress total = TotalProgress(runners);
  options_.progress(
      {total.done, total.in_flight, total.errors, (MonotonicNanos() - origin_ns_) / 1000000});
}

void Attempt::RunCycles(const StartStopSpec& spec, const std::vector<ResolvedTarget>& targets) {
  auto endpoint = ResolveEndpoint(spec.load.address, values_, options_.network);
  if (!endpoint.ok()) {
    SetupError(endpoint.error());
    return;
  }
  CycleRunContext context{writer_,
                          origin_ns_,
                          dir_,
                          abort_,
                          MonoClock::now() + milliseconds(scenario_.timeout_ms),
                          options_.keep_cores,
                          &perturbation_};
  auto result = RunStartStopCycles(spec, endpoint.value(), targets, context);
  if (result.setup_error) SetupError(*result.setup_error);
  timed_out_ = result.timed_out;
  if (!result.last_cycle_dir.empty()) logs_dir_ = result.last_cycle_dir;
  history_.processes = std::move(result.events);
  history_.MergeOps(std::move(result.ops));
  cycle_ops_ = TakeCycleOps(history_);
}

Status Attempt::StartFixture(const ClientRunSpec& spec) {
  auto started = FixtureServer::Start(FixtureOptionsFor(spec, options_.seed));
  if (!started.ok()) return started.error();
  fixture_ = std::move(started.value());
  fixture_url_ = "http://127.0.0.1:" + std::to_string(fixture_->port()) + spec.path;
  return {};
}

Attempt::ClientWait Attempt::MarkClient(const ClientRunSpec& spec,
                                        std::vector<ResolvedTarget>& targets) {
  const std::string client = spec.client.empty() ? targets.front().name : spec.client;
  for (auto& target : targets) target.runs_to_exit = target.name == client;
  return {client, spec.deadline_ms};
}

bool Attempt::ClientDone(const ClientWait& client, MonoClock::time_point deadline) {
  if (supervisor_->HasExited(client.name)) return true;
  if (MonoClock::now() < deadline) return false;
  supervisor_->RecordOverdue(client.name, client.deadline_ms);
  return true;
}

void Attempt::RecordFixtureRequests() {
  fixture_->Stop();
  auto ops = FixtureOperations(fixture_->Requests(), origin_ns_);
  writer_.Write(ops, 0);
  history_.MergeOps(std::move(ops));
  fixture_.reset();
}

void Attempt::SetupError(const Error& error) {
  if (report_.error_kind) return;  // keep the first
  report_.error_kind = error.kind;
  report_.verdict.error = error.message;
}

HistoryPassResult Attempt::PassOverHistory() {
  // A stall seen live is already a kUnresponsive event, with evidence from the stuck target.
  HistoryPassOptions options{
      stalled_live_ ? 0 : scenario_.checks.stall_ms,
      {scenario_.checks.max_errors, scenario_.checks.max_error_rate,
       DowntimeSpans(history_.ops, scenario_.actions), ReconnectingStreams(scenario_)},
      {}};
  options.unanswered = {scenario_.checks.max_timeouts, options.errors.excused,
                        options.errors.excused_streams};
  writer_.Close();
  if (auto closed = spills_->CloseAll(); !closed.ok()) {
    SetupError(closed.error());
    return {};
  }
  auto pass = RunHistoryPass(history_, spills_->paths(), options, dir_ / "history.jsonl");
  if (!pass.ok()) {
    SetupError(pass.error());
    return {};
  }
  spills_->RemoveAll();
  return std::move(pass.value());
}

void Attempt::Judge() {
  HistoryPassResult pass = PassOverHistory();
  std::vector<Failure> failures = JudgeFailures(
      scenario_, history_, pass, {stalled_live_, abort_.stop_requested(), timed_out_});
  Verdict& verdict = report_.verdict;
  verdict.outcome =
      DecideOutcome(abort_.stop_requested(), report_.error_kind.has_value(), failures);
  verdict.scenario = scenario_.name;
  verdict.scenario_file = scenario_.file.string();
  verdict.failures = std::move(failures);
  verdict.stats = StatsJson(pass, AskedRates(scenario_));
  MergeWorkloadFigures(verdict.stats, workload_figures_);
  verdict.timeline = SummarizeTimeline(history_);
  if (auto downtime = SummarizeDowntime(history_.ops, scenario_.actions, pass.excused_failures);
      !downtime.is_null()) {
    verdict.timeline["downtime"] = std::move(downtime);
  }
  if (const auto* spec = std::get_if<StartStopSpec>(&scenario_.workload)) {
    verdict.cycles = SummarizeCycles(cycle_ops_, spec->cycles);
  }
  verdict.targets = SummarizeTargetTimes(history_.processes, scenario_.targets);
  verdict.containment = DescribeContainment(CurrentContainment(), history_.processes);
  verdict.params = ParameterValues(scenario_.params);
  verdict.seed = options_.seed;
  verdict.started_at = Iso8601(started_);
  verdict.duration_ms = (MonotonicNanos() - origin_ns_) / 1000000;
  verdict.reproduce = options_.reproduce;
  std::vector<std::string> names;
  for (const auto& target : scenario_.targets) names.push_back(target.name);
  verdict.artifacts = RunArtifacts(dir_, logs_dir_, names);
  auto written = WriteFileAtomically(dir_ / "verdict.json", VerdictText(verdict));
  if (!written.ok()) SetupError(written.error());
}

}  // namespace

Result<RunReport> RunScenario(const Scenario& scenario, const RunOptions& options,
                              const std::stop_token& abort) {
  Attempt attempt(scenario, options, abort);
  return attempt.Run();
}

}  // namespace stampede
