// The records a run's history is made of: client operations and process events.
// Workloads and the supervisor only create these; checkers only read them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace stampede {

// Jepsen's operation lifecycle: an invoke, then exactly one completion of the same
// (client, seq). `info` means the outcome is unknown (e.g. a timeout after sending).
enum class OpType { kInvoke, kOk, kFail, kInfo };

struct Operation {
  OpType type = OpType::kInvoke;
  std::int64_t time_ns = 0;  // monotonic, relative to the run's start
  int client = 0;            // logical client issuing the operation
  int connection = -1;       // connection id when known, else -1
  std::int64_t seq = 0;      // request sequence; unique per client within a run
  std::string f;             // what was attempted, e.g. "GET /echo"
  std::string expected;      // value the client expects back; empty when not checked
  std::string got;           // value received; meaningful on completions
  std::string error;         // why a fail/info happened
  // The load stream that recorded it (a scenario's named `loads`), "nemesis" for scheduled
  // actions; empty for the single `workload` of a scenario.
  std::string stream;
  // Invokes of an open-loop load (a `rate`): when the request was due by the schedule, which
  // may be before it could be sent (time_ns); latency counts from here, corrected for
  // coordinated omission. -1 when the load is not on a schedule.
  std::int64_t intended_ns = -1;
};

// The stream of scheduled actions (signal, stop, send, exec ...): Jepsen's nemesis process.
inline constexpr const char* kNemesisStream = "nemesis";
// The nemesis client of schedule perturbation's operations (freezes of the targets, a CPU
// quota; perturb/freezer.h): recorded in the history, not actions of the timeline.
inline constexpr int kPerturbationClient = -1000000;

// How the error of a request that timed out begins: "no reply within 1000 ms". Such a request
// is recorded as kInfo (it may have been served) and counts as unanswered.
inline constexpr const char* kNoReplyWithin = "no reply within ";

// A kInfo completion whose request timed out (see kNoReplyWithin).
inline bool IsTimedOut(const Operation& op) {
  return op.type == OpType::kInfo && op.error.rfind(kNoReplyWithin, 0) == 0;
}

// How a process ended.
struct ExitInfo {
  std::optional<int> exit_code;  // set when it exited normally
  std::optional<int> signal;     // set when a signal killed it
  bool core_dumped = false;
};

// Lifecycle phase of a target when an event happened.
enum class Phase { kStartup, kRunning, kShutdown };

enum class ProcessAction {
  kSpawned,        // process started; pid set
  kReady,          // readiness probe succeeded
  kNotReady,       // readiness deadline passed; evidence.log_tail
  kStopRequested,  // harness asked it to stop (signal or HTTP)
  kStopTimeout,    // stop deadline missed; evidence.backtraces, evidence.sockets
  kExited,         // process ended; exit set
  kPortHeld,       // after a clean stop its port was still in use; evidence.port, .holders
  kUnresponsive,   // a workload's liveness probe went unanswered; evidence.backtraces, .sockets
  kStrayKilled,    // a process of the target outside its group (a daemon) outlived the run and
                   // was killed; pid is the stray's, evidence.command
};

struct ProcessEvent {
  ProcessAction action = ProcessAction::kSpawned;
  std::int64_t time_ns = 0;
  std::string target;
  int pid = 0;
  Phase phase = Phase::kStartup;
  std::optional<ExitInfo> exit;    // kExited only
  bool clean = false;              // kExited: status is one the target's stop settings accept
  bool killed_by_harness = false;  // kExited: SIGKILL came from the harness after a deadline
  std::string detail;              // one human-readable line
  std::optional<int> cycle;        // start-stop runs: the cycle (1-based) it belongs to
  nlohmann::json evidence = nlohmann::json::object();  // title, stderr_tail, backtraces, ...
};

// Whether the event belongs to a client under test (evidence.role "client"): a target that
// is expected to exit by itself.
bool IsClientEvent(const ProcessEvent& event);

const char* ToString(OpType type);
const char* ToString(Phase phase);
const char* ToString(ProcessAction action);

void to_json(nlohmann::json& j, const Operation& op);
// Appends `op` as one line of JSON, the same bytes as to_json(op).dump() with invalid UTF-8
// replaced, plus '\n'; much cheaper, for histories of millions of operations.
void AppendJsonLine(const Operation& op, std::string& out);
void from_json(const nlohmann::json& j, Operation& op);
void to_json(nlohmann::json& j, const ProcessEvent& event);
void from_json(const nlohmann::json& j, ProcessEvent& event);

}  // namespace stampede
