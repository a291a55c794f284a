// The nemesis: fires a scenario's scheduled actions while the loads run and records each
// firing as an operation of the "nemesis" stream (invoke, then ok, fail or info with what it
// did), Jepsen-style.
//
// Threading: Tick, Finish and Take are called from the run's main thread, which owns the
// targets; signal, freeze, stop, start and restart run there (through TargetControl), so a
// stop blocks the main thread while the loads keep running on theirs. send and exec run on a
// worker thread each, so a slow reply never delays the schedule. Recording is thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "history/history.h"
#include "timeline/action_spec.h"
#include "workloads/tcp_client_engine.h"

namespace stampede {

// What the nemesis may do to the run's targets; implemented by the run over its Supervisor.
// Called on the main thread only.
class TargetControl {
 public:
  virtual ~TargetControl() = default;
  // Sends `signal` to the target's process, or to its whole group; an error when the target
  // is not running.
  virtual Status Signal(const std::string& target, int signal, bool group) = 0;
  // Stops the target as its scenario says and waits for it (up to its deadline; a missed
  // deadline is recorded by the supervisor as a hang). Returns what happened, one line.
  virtual Result<std::string> Stop(const std::string& target) = 0;
  // Starts the target again and waits until it is ready. Returns what happened, one line.
  virtual Result<std::string> Start(const std::string& target) = 0;
  // Switches fault proxy `fault`'s toxics on or off.
  virtual Status SetFault(const std::string& fault, bool enabled) = 0;
};

// An action with its run-time placeholders expanded.
struct ResolvedAction {
  ActionSpec spec;
  TcpEndpoint endpoint;           // send
  std::string request;            // send: the bytes to send
  std::vector<std::string> argv;  // exec
};

class Nemesis {
 public:
  // Output of exec actions goes to `run_dir`/actions/. Times are relative to `origin_ns`.
  Nemesis(std::vector<ResolvedAction> actions, HistoryWriter& writer, std::int64_t origin_ns,
          std::filesystem::path run_dir);
  // Joins the workers (each is bounded by its action's timeout or deadline).
  ~Nemesis();
  Nemesis(const Nemesis&) = delete;
  Nemesis& operator=(const Nemesis&) = delete;

  // Fires every firing due `elapsed_ms` after the timeline started, and ends freezes whose time
  // is up. True when it fired or announced something: the caller should tick again soon with
  // a fresh time, as a firing may have taken long and may have started other schedules.
  bool Tick(std::int64_t elapsed_ms, TargetControl& control);
  // Event `event` ("load:NAME") happened `elapsed_ms` after the timeline started: the actions
  // scheduled after it start their schedule then. Completed actions are announced by the
  // nemesis itself ("action:NAME"), at the Tick that sees it.
  void NoteEvent(const std::string& event, std::int64_t elapsed_ms);
  // Milliseconds after the timeline's start of the next firing or thaw; -1 when none is left.
  std::int64_t NextDueMs() const;
  // Every firing has happened and completed, and no target is frozen.
  bool Finished() const;
  // Ends every freeze now (SIGCONT), and stops firing; workers finish on their own.
  void Finish(TargetControl& control);
  // Waits for the workers, then moves the recorded operations out.
  std::vector<Operation> Take();

 private:
  struct Plan {
    ResolvedAction action;
    int fired = 0;               // firings so far
    std::int64_t start_ms = -1;  // when its schedule starts; -1 while waiting for `after`
    bool announced = false;      // its "action:NAME" event has been noted
  };

  std::int64_t DueMs(const Plan& plan) const;
  bool AnnounceCompletedActions(std::int64_t elapsed_ms);
  struct Freeze {
    std::size_t index;  // into plans_
    std::int64_t seq;
    std::int64_t thaw_ms;
    std::string target;
  };

  void Fire(std::size_t index, std::int64_t elapsed_ms, TargetControl& control);
  void Thaw(const Freeze& freeze, TargetControl& control);
  // Ends the freezes of `target` now: a frozen target cannot be stopped.
  void ThawTarget(const std::string& target, TargetControl& control);
  void RunOnWorker(std::size_t index, std::int64_t seq);
  void Send(const ResolvedAction& action, int client, std::int64_t seq);
  void Exec(const ResolvedAction& action, int client, std::int64_t seq);
  void Record(Operation op);
  void Complete(int client, std::int64_t seq, const std::string& f, OpType type, std::string got,
                std::string error, std::string expected = "");

  HistoryWriter& writer_;
  std::int64_t origin_ns_;
  std::filesystem::path run_dir_;
  std::vector<Plan> plans_;
  std::vector<Freeze> frozen_;
  bool finished_ = false;
  // A send or exec in progress; `done` is its thread's last step, so a done worker joins at once.
  struct Worker {
    std::jthread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::vector<Worker> workers_;  // the main thread's
  std::atomic<int> busy_workers_{0};
  std::mutex mutex_;
  std::vector<Operation> ops_;    // guarded by mutex_
  std::vector<int> completions_;  // per plan; guarded by mutex_
};

}  // namespace stampede
