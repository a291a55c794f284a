#include "checkers/errors_checker.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "checkers/op_key.h"

namespace stampede {
namespace {

constexpr std::size_t kMaxMessages = 20;
constexpr std::size_t kMaxListed = 10;

struct ErrorTally {
  std::int64_t failed = 0;
  std::int64_t completed = 0;
  std::unordered_map<std::string, std::int64_t> by_error;
  std::vector<std::size_t> first;  // indices of the first failures, at most kMaxListed
};

std::string MessageOf(const Operation& op) {
  return op.error.empty() ? "(no error message)" : op.error;
}

bool Excused(const Operation& op, const ErrorOptions& options) {
  if (op.type != OpType::kFail || op.stream == kNemesisStream ||
      options.excused_streams.count(op.stream) == 0) {
    return false;
  }
  const auto& excused = options.excused;
  return std::any_of(excused.begin(), excused.end(), [&](const TimeSpan& span) {
    return op.time_ns >= span.begin_ns && op.time_ns <= span.end_ns;
  });
}

ErrorTally Tally(const std::vector<Operation>& ops, const ErrorOptions& options) {
  ErrorTally tally;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (!IsCompletion(ops[i])) continue;
    ++tally.completed;
    if (ops[i].type != OpType::kFail || Excused(ops[i], options)) continue;
    ++tally.failed;
    ++tally.by_error[MessageOf(ops[i])];
    if (tally.first.size() < kMaxListed) tally.first.push_back(i);
  }
  return tally;
}

std::string FirstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// Messages by count, most frequent first, ties by message; at most kMaxMessages.
std::vector<std::pair<std::string, std::int64_t>> TopMessages(const ErrorTally& tally) {
  std::vector<std::pair<std::string, std::int64_t>> top(tally.by_error.begin(),
                                                        tally.by_error.end());
  std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (top.size() > kMaxMessages) top.resize(kMaxMessages);
  return top;
}

// The operation's f, or its invoke's f when the completion does not carry one.
std::string FunctionOf(const std::vector<Operation>& ops, std::size_t completion) {
  if (!ops[completion].f.empty()) return ops[completion].f;
  const OpKey key = KeyOf(ops[completion]);
  for (std::size_t i = completion; i-- > 0;) {
    if (ops[i].type == OpType::kInvoke && KeyOf(ops[i]) == key) return ops[i].f;
  }
  return "";
}

nlohmann::json FirstFailures(const std::vector<Operation>& ops, const ErrorTally& tally) {
  nlohmann::json first = nlohmann::json::array();
  for (std::size_t index : tally.first) {
    const Operation& op = ops[index];
    first.push_back({{"client", op.client},
                     {"seq", op.seq},
                     {"f", FunctionOf(ops, index)},
                     {"error", op.error},
                     {"time_ms", NanosToMillis(op.time_ns)}});
  }
  return first;
}

Failure ErrorsFailure(const std::vector<Operation>& ops, const ErrorTally& tally, double rate,
                      const ErrorOptions& options) {
  const auto top = TopMessages(tally);
  nlohmann::json by_error = nlohmann::json::object();
  for (const auto& [message, count] : top) by_error[message] = count;
  nlohmann::json evidence = {
      {"failed", tally.failed},
      {"completed", tally.completed},
      {"rate", rate},
      {"max_errors", options.max_errors},
      {"max_error_rate", options.max_error_rate},
      {"distinct_errors", tally.by_error.size()},
      {"by_error", std::move(by_error)},
      {"first", FirstFailures(ops, tally)},
  };
  std::string summary =
      fmt::format("{} of {} operations failed ({:.2f}%); most common: \"{}\" ({})", tally.failed,
                  tally.completed, rate * 100.0, FirstLine(top.front().first), top.front().second);
  return {FailureKind::kErrors, "", std::move(summary), std::move(evidence)};
}

}  // namespace

std::int64_t CountExcusedFailures(const History& history, const ErrorOptions& options) {
  return std::count_if(history.ops.begin(), history.ops.end(),
                       [&](const Operation& op) { return Excused(op, options); });
}

std::optional<Failure> CheckErrors(const History& history, const ErrorOptions& options) {
  const ErrorTally tally = Tally(history.ops, options);
  if (tally.failed == 0) return std::nullopt;
  const double rate = static_cast<double>(tally.failed) / static_cast<double>(tally.completed);
  if (tally.failed <= options.max_errors || rate <= options.max_error_rate) return std::nullopt;
  return ErrorsFailure(history.ops, tally, rate, options);
}

}  // namespace stampede
