// Mismatch checker: finds replies that do not answer the request they completed.
//
// A mismatch is a kOk completion whose `expected` is non-empty and whose `got` differs from it.
// Each completion is judged on its own fields, so replies that arrive out of order but each
// match their own request are not mismatches; fail/info completions are never mismatches.
//
// Streaming: MismatchTally sees each operation once, in history order, and keeps the count and
// the first examples only. CheckMismatches is the same over a whole History.
#pragma once

#include <optional>

#include "checkers/failure.h"
#include "history/history.h"

namespace stampede {

// nullopt when no reply mismatched; otherwise one kMismatch Failure with
//   target empty;
//   summary e.g. "3 replies did not match their requests (first: connection 2 seq 17 expected
//     \"17\" got \"18\")" ("client N" instead of "connection N" when the connection is unknown);
//   evidence: count, first (the first 10 mismatches in history order, each
//     {client, connection (null when unknown), seq, expected, got}).
std::optional<Failure> CheckMismatches(const History& history);

// CheckMismatches one operation at a time; memory bounded by the examples kept.
class MismatchTally {
 public:
  void Add(const Operation& op);
  // What CheckMismatches returns for the operations added so far.
  std::optional<Failure> Result() const;

 private:
  std::int64_t count_ = 0;
  std::vector<Operation> first_;  // the first mismatches, at most 10
};

}  // namespace stampede
