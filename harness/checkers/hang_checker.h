// Hang checker: finds targets that did not stop when asked, did not give their port back, or
// did not start again; and workloads whose operations stopped completing.
//
// Process hangs, in history order:
//   - every kStopTimeout event: the target did not stop (phase "shutdown");
//   - every kPortHeld event: the target exited but its port still had a listener (phase
//     "shutdown": its shutdown left something behind that blocks the next start);
//   - every kUnresponsive event: a workload's liveness probe went unanswered (phase "serving"),
//     or a client under test did not exit by its deadline (evidence.role "client", phase
//     "running");
//   - a kNotReady event of a target that had a kReady event earlier in the history: it started
//     before and now cannot (phase "startup"; start-stop runs restart their targets). A target
//     that never became ready is a setup error, not a hang, and is not reported here.
//
// Stalls. An operation is an invoke plus the first later completion (ok, fail or info) with the
// same (client, seq); it is outstanding from its invoke time until that completion, or until the
// end of the history when it never completes. Progress is a completion that ends an outstanding
// operation. A stall is a time interval [from, to) of length >= stall_ms in which
//   - no progress happened (a completion exactly at `to` ends the interval), and
//   - at least one operation was outstanding for the whole interval.
// Concretely, for every stretch between consecutive progress times (and between the last one and
// the end of the history) the longest such interval starts at
//   from = max(time of the previous progress, invoke time of the oldest operation still
//              outstanding at the end of the stretch)
// and ends at
//   to = time of the next progress, or the end of the history: the latest time of any record,
//        operation or process event.
// Only the earliest stall is reported. A completion without an outstanding invoke, and a second
// invoke of a (client, seq) that is still outstanding, are malformed records and are ignored.
//
// Requires history.ops sorted by time_ns (History's invariant). Pure function of its arguments.
// Streaming: CheckProcessHangs reads the process events alone and StallTally sees each operation
// once, in history order, with memory bounded by the operations outstanding.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "checkers/failure.h"
#include "checkers/op_key.h"
#include "history/history.h"

namespace stampede {

struct HangOptions {
  std::int64_t stall_ms = 0;  // minimum stall length; 0 (or less) disables stall detection
};

// kHang Failures: the process hangs, in history order, then at most one stall.
//
// Process hang: target = the event's target; summary e.g. "server did not stop within 5000 ms
//   in cycle 7 (pid 123)" (deadline from evidence.deadline_ms when it is a number), "server
//   exited in cycle 3, but port 8080 was still listening 1000 ms later, held by pid 124
//   (server)", "server was not ready within 10000 ms in cycle 4 (pid 125), though it had started
//   before", "<the event's detail> (pid 126)" for kUnresponsive; evidence = every key of the
//   event's evidence (backtraces, sockets, log_tail, deadline_ms, listeners, ...), then phase, pid,
//   time_ms and cycle when the event has one (checker keys win on a clash).
// Stall: target empty; evidence phase "serving", stalled_ms (to - from), from_ms, to_ms,
//   ended_by ("completion" | "end_of_history"), outstanding (operations outstanding at `from`),
//   first_outstanding (the oldest of those, at most 10, each {client, seq, f}).
// All *_ms values are whole milliseconds, truncated.
std::vector<Failure> CheckHangs(const History& history, const HangOptions& options);

// The process hangs of CheckHangs.
std::vector<Failure> CheckProcessHangs(const std::vector<ProcessEvent>& events);

// The stall of CheckHangs, one operation at a time.
class StallTally {
 public:
  // `stall_ms` as in HangOptions.
  explicit StallTally(std::int64_t stall_ms) : min_ns_(stall_ms * 1'000'000) {}
  void Add(const Operation& op);
  // The stall failure of CheckHangs, where the history ends at `history_end_ns` (the latest
  // time of any record, operation or process event).
  std::optional<Failure> Result(std::int64_t history_end_ns) const;

  struct Outstanding {
    std::int64_t time_ns = 0;  // of its invoke
    int client = 0;
    std::int64_t seq = 0;
    std::string f;
  };
  struct Stall {
    std::int64_t from_ns = 0;
    std::int64_t to_ns = 0;
    bool ended_by_completion = false;
    std::size_t outstanding = 0;         // operations outstanding at from_ns
    std::vector<Outstanding> first_ops;  // the oldest of them, at most 10
  };

 private:
  // The stall that ends at `to_ns`, if the stretch since the last progress holds one.
  std::optional<Stall> StallUntil(std::int64_t to_ns, bool by_completion) const;

  std::int64_t min_ns_;
  std::optional<Stall> stall_;  // the first stall, once found
  StreamNames names_;
  std::unordered_map<OpKey, std::int64_t, OpKeyHash> open_;  // key -> its invoke's number
  std::map<std::int64_t, Outstanding> outstanding_;          // by invoke number, oldest first
  std::int64_t next_invoke_ = 0;
  std::optional<std::int64_t> last_progress_ns_;
};

}  // namespace stampede
