#include "checkers/unanswered_checker.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace stampede {
namespace {

constexpr std::size_t kMaxListed = 10;

bool Excused(const Operation& op, const UnansweredOptions& options) {
  if (options.excused_streams.count(op.stream) == 0) return false;
  return std::any_of(options.excused.begin(), options.excused.end(), [&](const TimeSpan& span) {
    return op.time_ns >= span.begin_ns && op.time_ns <= span.end_ns;
  });
}

}  // namespace

void UnansweredTally::Add(const Operation& op) {
  if (op.type == OpType::kInvoke || op.stream == kNemesisStream) return;
  ++completed_;
  if (op.type == OpType::kOk) ++answered_;
  if (op.type == OpType::kFail) ++failed_;
  if (!IsTimedOut(op) || Excused(op, options_)) return;
  ++timed_out_;
  if (first_.size() < kMaxListed) first_.push_back(op);
}

std::optional<Failure> CheckUnanswered(const History& history, const UnansweredOptions& options) {
  UnansweredTally tally(options);
  for (const Operation& op : history.ops) tally.Add(op);
  return tally.Result();
}

std::optional<Failure> UnansweredTally::Result() const {
  const bool never_answered = completed_ > 0 && answered_ == 0 && failed_ == 0;
  if (timed_out_ <= options_.max_timeouts && !never_answered) return std::nullopt;
  nlohmann::json first = nlohmann::json::array();
  for (const Operation& op : first_) {
    first.push_back({{"client", op.client},
                     {"seq", op.seq},
                     {"f", op.f},
                     {"error", op.error},
                     {"time_ms", op.time_ns / 1'000'000}});
  }
  std::string summary;
  if (timed_out_ > 0) {
    summary = fmt::format("{} of {} requests went unanswered ({})", timed_out_, completed_,
                          first_.front().error);
  } else {
    summary = fmt::format("{} requests completed", completed_);
  }
  summary += never_answered
                 ? "; none was ever answered"
                 : fmt::format("; at most {} allowed (max_timeouts)", options_.max_timeouts);
  nlohmann::json evidence = {{"phase", "serving"},
                             {"timed_out", timed_out_},
                             {"answered", answered_},
                             {"completed", completed_},
                             {"max_timeouts", options_.max_timeouts},
                             {"never_answered", never_answered},
                             {"first", std::move(first)}};
  return Failure{FailureKind::kHang, "", std::move(summary), std::move(evidence)};
}

}  // namespace stampede
