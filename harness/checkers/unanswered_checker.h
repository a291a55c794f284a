// Unanswered-requests checker: a request that timed out (IsTimedOut) is not an error, since
// it may have been served, but a run in which requests go unanswered must not pass silently.
//
// Streaming: UnansweredTally sees each operation once, in history order; CheckUnanswered is the
// same over a whole History.
#pragma once

#include <cstdint>
#include <optional>

#include "checkers/errors_checker.h"
#include "checkers/failure.h"
#include "history/history.h"

namespace stampede {

struct UnansweredOptions {
  std::int64_t max_timeouts = 0;  // timed-out requests the scenario tolerates
  // As in ErrorOptions: timeouts of these streams within these spans are expected.
  std::vector<TimeSpan> excused;
  std::set<std::string> excused_streams;
};

// nullopt when the load's timeouts are within options.max_timeouts and it is not silent: a load
// that completed requests, none of them answered (ok) and none failed (failures are the errors
// checker's) never passes, whatever max_timeouts allows. Otherwise one kHang
// Failure, target empty, evidence.phase "serving", with
//   summary e.g. "20 of 20 requests went unanswered (no reply within 1000 ms); none was ever
//     answered" or "3 of 400 requests went unanswered (...); at most 0 allowed (max_timeouts)";
//   evidence: timed_out, answered, completed, max_timeouts, never_answered (bool),
//     first (the first 10 timeouts in history order: {client, seq, f, error, time_ms}).
// Only load operations count: never the nemesis's own.
std::optional<Failure> CheckUnanswered(const History& history, const UnansweredOptions& options);

// CheckUnanswered one operation at a time; memory bounded by the examples kept.
class UnansweredTally {
 public:
  explicit UnansweredTally(UnansweredOptions options) : options_(std::move(options)) {}
  void Add(const Operation& op);
  // What CheckUnanswered returns for the operations added so far.
  std::optional<Failure> Result() const;

 private:
  UnansweredOptions options_;
  std::int64_t timed_out_ = 0;
  std::int64_t answered_ = 0;
  std::int64_t failed_ = 0;
  std::int64_t completed_ = 0;
  std::vector<Operation> first_;  // the first timeouts, at most 10
};

}  // namespace stampede
