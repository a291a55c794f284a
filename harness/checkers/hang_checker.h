// Hang checker: finds targets that did not stop when asked, and workloads whose operations
// stopped completing.
//
// Stop timeouts. Every kStopTimeout process event is a hang in phase "shutdown".
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
#pragma once

#include <cstdint>
#include <vector>

#include "checkers/failure.h"
#include "history/history.h"

namespace stampede {

struct HangOptions {
  std::int64_t stall_ms = 0;  // minimum stall length; 0 (or less) disables stall detection
};

// kHang Failures: one per kStopTimeout event, in history order, then at most one stall.
//
// Stop timeout: target = the event's target; summary e.g. "server did not stop within 5000 ms
//   (pid 123)" (deadline from evidence.deadline_ms when it is a number); evidence = every key of
//   the event's evidence (backtraces, sockets, log_tail, deadline_ms, ...), then
//   phase "shutdown", pid, time_ms (checker keys win on a clash).
// Stall: target empty; evidence phase "serving", stalled_ms (to - from), from_ms, to_ms,
//   ended_by ("completion" | "end_of_history"), outstanding (operations outstanding at `from`),
//   first_outstanding (the oldest of those, at most 10, each {client, seq, f}).
// All *_ms values are whole milliseconds, truncated.
std::vector<Failure> CheckHangs(const History& history, const HangOptions& options);

}  // namespace stampede
