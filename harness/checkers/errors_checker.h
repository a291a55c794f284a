// Errors checker: decides whether too many operations failed.
//
// An error is a kFail completion. kInfo completions are ambiguous (the request may have been
// served) and are never errors, though they count as completed. The error rate is
// failed / completed, where completed counts every ok, fail and info record (0 when none).
//
// Streaming: ErrorTally sees each operation once, in history order, with memory bounded by the
// examples and distinct messages it keeps; CheckErrors is the same over a whole History.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "checkers/failure.h"
#include "checkers/op_key.h"
#include "history/history.h"

namespace stampede {

struct TimeSpan {
  std::int64_t begin_ns = 0;
  std::int64_t end_ns = 0;
};

// Tolerated errors. The run fails only when BOTH failed > max_errors AND
// rate > max_error_rate; the defaults fail a run on its first error.
struct ErrorOptions {
  std::int64_t max_errors = 0;
  double max_error_rate = 0.0;  // fraction of completed operations, 0..1
  // Times (history time, inclusive) in which the failures of the streams in `excused_streams`
  // are expected and are not errors: while a target is down on purpose (timeline/downtime.h)
  // and the stream reconnects. Such a failure still counts as completed.
  std::vector<TimeSpan> excused;
  std::set<std::string> excused_streams;
};

// Failed operations of `options.excused_streams` (never the nemesis's own) that complete
// within `options.excused`.
std::int64_t CountExcusedFailures(const History& history, const ErrorOptions& options);

// nullopt when the errors are within the tolerance; otherwise one kErrors Failure with
//   target empty;
//   summary e.g. "12 of 340 operations failed (3.53%); most common: \"connection reset\" (10)";
//   evidence: failed, completed, rate (0..1), max_errors, max_error_rate,
//     distinct_errors (number of distinct messages),
//     by_error (message -> count for the 20 most frequent messages; ties broken by message;
//       a JSON object, so readers see its keys in alphabetical order; an empty message is shown
//       as "(no error message)"),
//     first (the first 10 failures in history order, each {client, seq, f, error, time_ms};
//       f comes from the invoke when the completion does not carry it).
std::optional<Failure> CheckErrors(const History& history, const ErrorOptions& options);

// CheckErrors and CountExcusedFailures one operation at a time. At most 10,000 distinct messages
// are told apart; later new ones count under "(more distinct messages)".
class ErrorTally {
 public:
  explicit ErrorTally(ErrorOptions options) : options_(std::move(options)) {}
  void Add(const Operation& op);
  // What CheckErrors returns for the operations added so far.
  std::optional<Failure> Result() const;
  // What CountExcusedFailures returns for the operations added so far.
  std::int64_t excused() const { return excused_; }

 private:
  ErrorOptions options_;
  std::int64_t failed_ = 0;
  std::int64_t completed_ = 0;
  std::int64_t excused_ = 0;
  std::unordered_map<std::string, std::int64_t> by_error_;
  std::vector<Operation> first_;  // the first failures (f from their invoke), at most 10
  // While first_ is not full: the f of each outstanding invoke.
  StreamNames names_;
  std::unordered_map<OpKey, std::string, OpKeyHash> invoked_f_;
};

}  // namespace stampede
