// Starts a run's targets, waits until each is ready, notices when one dies, and stops them
// with a deadline, recording every step as a ProcessEvent in the history.
//
// Threading: one thread (the run's main thread) owns the Supervisor and calls every method;
// children are started from it, so PR_SET_PDEATHSIG ties them to it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/status.h"
#include "history/history.h"
#include "scenario/scenario.h"
#include "supervisor/child_process.h"
#include "supervisor/containment.h"
#include "supervisor/group_observer.h"

namespace stampede {

inline constexpr std::int64_t kDefaultLogCapBytes = std::int64_t{64} << 20;

// A target with every template expanded, ready to launch.
struct ResolvedTarget {
  std::string name;
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;
  int port = 0;
  ReadinessSpec ready;
  StopSpec stop;
  // A client under test: it is expected to exit by itself. Its exit is judged by
  // stop.clean_exits whatever the phase, and its events carry evidence.role "client".
  bool runs_to_exit = false;
  // Each of its logs keeps at most this many bytes: the head and the last MiB (capped_log.h).
  std::int64_t log_cap_bytes = kDefaultLogCapBytes;
  // Not empty: the CPUs it runs on (schedule perturbation, perturb/perturbation.h).
  std::vector<int> cpus;
  int nice = 0;  // its nice value (schedule perturbation); 0: stampede's own
};

enum class StartOutcome {
  kReady,     // the probe succeeded
  kNotReady,  // the readiness deadline passed (event kNotReady recorded)
  kDied,      // the process exited before it was ready (event kExited recorded)
  kAborted,   // `abort` was requested while waiting
};

class Supervisor {
 public:
  // Logs go to `run_dir`/NAME.stdout and NAME.stderr (NAME.N.* for the N-th start of a target);
  // events to `writer` and events(), each marked with `cycle` when set (a start-stop run has one
  // Supervisor per cycle).
  Supervisor(HistoryWriter& writer, std::int64_t origin_ns, std::filesystem::path run_dir,
             std::optional<int> cycle = std::nullopt);
  // Kills every process group still alive.
  ~Supervisor();
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Starts the target and waits for readiness. An EnvironmentError means it could not be
  // started at all (e.g. the program does not exist).
  Result<StartOutcome> Start(const ResolvedTarget& target, const std::stop_token& abort);

  // A target that dumps core gets gdb's backtraces from the core in its exited event's evidence
  // (core_dump.h); the core is then deleted unless kept.
  void KeepCores(bool keep) { keep_cores_ = keep; }

  // `observer` (may be null; must outlive every later call but the destructor) is told of each
  // target's process group once it is ready, and released before evidence is taken from it (a
  // stuck target, one that missed its stop deadline) and when it has exited. A group is not
  // released when it is asked to stop: a race in a graceful shutdown is perturbed too.
  void ObserveGroups(GroupObserver* observer) { observer_ = observer; }

  // Records the exit of every target that died since the last call; never blocks.
  // Returns true when at least one target has died while running.
  bool PollExits();

  // Pid file descriptors of targets still running, for poll().
  std::vector<int> RunningPidfds() const;

  // Asks every running target to stop, in reverse start order, and waits up to its
  // deadline; a target that misses it gets hang evidence taken, then SIGKILL. After a clean
  // stop, its port must be released within stop.port_release_ms (checked before the rest of
  // its process group is killed), else a kPortHeld event names the holders. When `abort`
  // is requested, remaining waits are cut short and targets are killed without evidence.
  // Then every process a target started outside its process group (a daemon) and that is
  // still alive is killed, each recorded as a kStrayKilled event.
  void StopAll(const std::stop_token& abort);

  // A workload found the target on `port` unresponsive (`summary`, without the target's name,
  // and `details`, its figures): records a kUnresponsive event with the target's backtraces,
  // sockets and log tail, taken now. With no running target on `port`, every running target
  // is blamed; with none running, one event without evidence from a process is recorded.
  void RecordUnresponsive(int port, const std::string& summary, const nlohmann::json& details);

  // The client `name` (a runs_to_exit target) is still running after `deadline_ms`: records a
  // kUnresponsive event, evidence.role "client", with its backtraces, sockets and log tail.
  void RecordOverdue(const std::string& name, int deadline_ms);

  // Sends `signal` to running target `name`: its process, or with `group` its process group.
  // An InvalidInput when no target of that name is running.
  Status Signal(const std::string& name, int signal, bool group);

  // Stops running target `name` as StopAll would (deadline, hang evidence, port release) and
  // returns what happened in one line. An InvalidInput when no target of that name is running.
  Result<std::string> StopTarget(const std::string& name, const std::stop_token& abort);

  // Whether target `name` has exited (its exit is recorded); false for an unknown name.
  bool HasExited(const std::string& name) const;

  // Immediately kills every process group and every stray; used on the way out of an aborted
  // run.
  void KillAll();

  const std::vector<ProcessEvent>& events() const { return events_; }
  // How the readiness probe of the latest start of `name` fared: "the tcp probe failed N
  // times, last: connect to 127.0.0.1:P: Connection refused".
  std::string ProbeSummary(const std::string& name) const;
  // The log files of the latest start of `target`.
  std::filesystem::path StdoutPath(const std::string& target) const;
  std::filesystem::path StderrPath(const std::string& target) const;

 private:
  struct Managed {
    ResolvedTarget target;
    std::string log_stem;  // NAME, or NAME.2, NAME.3 ... when the target is started again
    std::unique_ptr<ChildProcess> child;
    Phase phase = Phase::kStartup;
    bool exit_recorded = false;
    int probe_attempts = 0;
    std::string last_probe_error;  // empty once the probe succeeded
  };

  // One attempt of the target's readiness probe: empty when it is ready, else why not.
  std::string ProbeOnce(const Managed& managed) const;
  void Stop(Managed& managed, const std::stop_token& abort);
  void RequestStop(Managed& managed);
  void RecordHang(Managed& managed);
  // Adds what a live, stuck process shows: sockets of its group, backtraces of it and of up to
  // a few other group members, its log tail.
  void AddLiveEvidence(const Managed& managed, nlohmann::json& evidence) const;
  void RecordPortHeld(const Managed& managed, nlohmann::json listeners);
  void RecordExit(Managed& managed, bool killed_by_harness);
  // For a target that dumped core: CoreEvidence (core_dump.h) merged into `evidence`.
  void AddCoreEvidence(const Managed& managed, nlohmann::json& evidence) const;
  void Record(ProcessEvent event);
  // Records `event` as having happened at `at_ns` (run time), e.g. when a deadline passed,
  // although its evidence was taken afterwards.
  void RecordAt(ProcessEvent event, std::int64_t at_ns);
  // The run time now, for RecordAt.
  std::int64_t Now() const;
  // Kills what the targets left outside their groups (see StopAll); records it when `record`.
  void SweepStrays(bool record);
  ProcessEvent EventFor(const Managed& managed, ProcessAction action) const;
  // Tells the observer (if any) that stampede takes the target's group back.
  void Release(const Managed& managed);
  // The latest start of target `name`, or null.
  Managed* Latest(const std::string& name) const;

  HistoryWriter& writer_;
  std::int64_t origin_ns_;
  std::filesystem::path run_dir_;
  std::optional<int> cycle_;
  bool keep_cores_ = false;
  GroupObserver* observer_ = nullptr;
  std::vector<std::unique_ptr<Managed>> targets_;  // in start order
  std::vector<ProcessEvent> events_;
  const std::string run_mark_ = NewRunMark();  // what its targets carry (containment.h)
};

// The setup error of a target that never became ready: "target \"NAME\" was not ready within
// N ms: PROBE SUMMARY; see STDERR_PATH".
Error NotReadyError(const ResolvedTarget& target, const Supervisor& supervisor);

// Whether `exit` is one of the clean stops `stop` allows.
bool IsCleanStop(const StopSpec& stop, const ExitInfo& exit);

}  // namespace stampede
