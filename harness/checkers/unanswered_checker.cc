#include "checkers/unanswered_checker.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace stampede {
namespace {

constexpr std::size_t kMaxListed = 10;

struct Tally {
  std::int64_t timed_out = 0;
  std::int64_t answered = 0;
  std::int64_t failed = 0;
  std::int64_t completed = 0;
  std::vector<std::size_t> first;  // indices of the first timeouts
};

bool Excused(const Operation& op, const UnansweredOptions& options) {
  if (options.excused_streams.count(op.stream) == 0) return false;
  return std::any_of(options.excused.begin(), options.excused.end(), [&](const TimeSpan& span) {
    return op.time_ns >= span.begin_ns && op.time_ns <= span.end_ns;
  });
}

Tally Count(const std::vector<Operation>& ops, const UnansweredOptions& options) {
  Tally tally;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const Operation& op = ops[i];
    if (op.type == OpType::kInvoke || op.stream == kNemesisStream) continue;
    ++tally.completed;
    if (op.type == OpType::kOk) ++tally.answered;
    if (op.type == OpType::kFail) ++tally.failed;
    if (!IsTimedOut(op) || Excused(op, options)) continue;
    ++tally.timed_out;
    if (tally.first.size() < kMaxListed) tally.first.push_back(i);
  }
  return tally;
}

}  // namespace

std::optional<Failure> CheckUnanswered(const History& history, const UnansweredOptions& options) {
  const Tally tally = Count(history.ops, options);
  const bool never_answered = tally.completed > 0 && tally.answered == 0 && tally.failed == 0;
  if (tally.timed_out <= options.max_timeouts && !never_answered) return std::nullopt;
  nlohmann::json first = nlohmann::json::array();
  for (std::size_t index : tally.first) {
    const Operation& op = history.ops[index];
    first.push_back({{"client", op.client},
                     {"seq", op.seq},
                     {"f", op.f},
                     {"error", op.error},
                     {"time_ms", op.time_ns / 1'000'000}});
  }
  std::string summary;
  if (tally.timed_out > 0) {
    const std::string& example = history.ops[tally.first.front()].error;
    summary = fmt::format("{} of {} requests went unanswered ({})", tally.timed_out,
                          tally.completed, example);
  } else {
    summary = fmt::format("{} requests completed", tally.completed);
  }
  summary += never_answered
                 ? "; none was ever answered"
                 : fmt::format("; at most {} allowed (max_timeouts)", options.max_timeouts);
  nlohmann::json evidence = {{"phase", "serving"},
                             {"timed_out", tally.timed_out},
                             {"answered", tally.answered},
                             {"completed", tally.completed},
                             {"max_timeouts", options.max_timeouts},
                             {"never_answered", never_answered},
                             {"first", std::move(first)}};
  return Failure{FailureKind::kHang, "", std::move(summary), std::move(evidence)};
}

}  // namespace stampede
