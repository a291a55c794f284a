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

constexpr std::size_t kMaxDistinct = 10000;

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

std::string FirstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// Messages by count, most frequent first, ties by message; at most kMaxMessages.
std::vector<std::pair<std::string, std::int64_t>> TopMessages(
    const std::unordered_map<std::string, std::int64_t>& by_error) {
  std::vector<std::pair<std::string, std::int64_t>> top(by_error.begin(), by_error.end());
  std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (top.size() > kMaxMessages) top.resize(kMaxMessages);
  return top;
}

nlohmann::json FirstFailures(const std::vector<Operation>& ops) {
  nlohmann::json first = nlohmann::json::array();
  for (const Operation& op : ops) {
    first.push_back({{"client", op.client},
                     {"seq", op.seq},
                     {"f", op.f},
                     {"error", op.error},
                     {"time_ms", NanosToMillis(op.time_ns)}});
  }
  return first;
}

}  // namespace

void ErrorTally::Add(const Operation& op) {
  if (op.type == OpType::kInvoke) {
    if (first_.size() < kMaxListed) invoked_f_[StableKeyOf(op, names_)] = op.f;
    return;
  }
  std::string invoked_f;  // only while the first failures are still being collected
  if (auto invoke = invoked_f_.find(KeyOf(op)); invoke != invoked_f_.end()) {
    invoked_f = std::move(invoke->second);
    invoked_f_.erase(invoke);
  }
  ++completed_;
  if (op.type != OpType::kFail) return;
  if (Excused(op, options_)) {
    ++excused_;
    return;
  }
  ++failed_;
  const std::string message = MessageOf(op);
  if (by_error_.size() < kMaxDistinct || by_error_.count(message) != 0) {
    ++by_error_[message];
  } else {
    ++by_error_["(more distinct messages)"];
  }
  if (first_.size() >= kMaxListed) return;
  first_.push_back(op);
  if (op.f.empty()) first_.back().f = std::move(invoked_f);
  if (first_.size() == kMaxListed) invoked_f_.clear();
}

std::optional<Failure> ErrorTally::Result() const {
  if (failed_ == 0) return std::nullopt;
  const double rate = static_cast<double>(failed_) / static_cast<double>(completed_);
  if (failed_ <= options_.max_errors || rate <= options_.max_error_rate) return std::nullopt;
  const auto top = TopMessages(by_error_);
  nlohmann::json by_error = nlohmann::json::object();
  for (const auto& [message, count] : top) by_error[message] = count;
  nlohmann::json evidence = {
      {"failed", failed_},
      {"completed", completed_},
      {"rate", rate},
      {"max_errors", options_.max_errors},
      {"max_error_rate", options_.max_error_rate},
      {"distinct_errors", by_error_.size()},
      {"by_error", std::move(by_error)},
      {"first", FirstFailures(first_)},
  };
  // "most common" only when one message leads; a tie names the first in message order.
  const bool tie = top.size() > 1 && top[1].second == top.front().second;
  std::string summary =
      fmt::format("{} of {} operations failed ({:.2f}%); {}: \"{}\" ({})", failed_, completed_,
                  rate * 100.0, tie ? "one of the most common" : "most common",
                  FirstLine(top.front().first), top.front().second);
  return Failure{FailureKind::kErrors, "", std::move(summary), std::move(evidence)};
}

std::int64_t CountExcusedFailures(const History& history, const ErrorOptions& options) {
  ErrorTally tally(options);
  for (const Operation& op : history.ops) tally.Add(op);
  return tally.excused();
}

std::optional<Failure> CheckErrors(const History& history, const ErrorOptions& options) {
  ErrorTally tally(options);
  for (const Operation& op : history.ops) tally.Add(op);
  return tally.Result();
}

}  // namespace stampede
