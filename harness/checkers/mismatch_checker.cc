#include "checkers/mismatch_checker.h"

#include <fmt/format.h>

#include <string>
#include <vector>

namespace stampede {
namespace {

constexpr std::size_t kMaxListed = 10;
constexpr std::size_t kMaxQuoted = 64;  // bytes of a value quoted in the summary

bool IsMismatch(const Operation& op) {
  return op.type == OpType::kOk && !op.expected.empty() && op.got != op.expected;
}

nlohmann::json Entry(const Operation& op) {
  return {{"client", op.client},
          {"connection", op.connection >= 0 ? nlohmann::json(op.connection) : nullptr},
          {"seq", op.seq},
          {"expected", op.expected},
          {"got", op.got}};
}

// `value` as a JSON string literal, cut to kMaxQuoted bytes ("..." appended when cut); invalid
// UTF-8 is replaced rather than thrown on, since replies may be arbitrary bytes.
std::string Quote(const std::string& value) {
  std::string quoted = nlohmann::json(value.substr(0, kMaxQuoted))
                           .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return value.size() > kMaxQuoted ? quoted + "..." : quoted;
}

// "connection 2 seq 17 expected "17" got "18"", values quoted as JSON strings.
std::string Describe(const Operation& op) {
  const std::string who = op.connection >= 0 ? fmt::format("connection {}", op.connection)
                                             : fmt::format("client {}", op.client);
  return fmt::format("{} seq {} expected {} got {}", who, op.seq, Quote(op.expected),
                     Quote(op.got));
}

}  // namespace

void MismatchTally::Add(const Operation& op) {
  if (!IsMismatch(op)) return;
  ++count_;
  if (first_.size() < kMaxListed) first_.push_back(op);
}

std::optional<Failure> MismatchTally::Result() const {
  if (count_ == 0) return std::nullopt;
  nlohmann::json first = nlohmann::json::array();
  for (const Operation& op : first_) first.push_back(Entry(op));
  std::string summary = fmt::format(
      "{} {} (first: {})", count_,
      count_ == 1 ? "reply did not match its request" : "replies did not match their requests",
      Describe(first_.front()));
  return Failure{FailureKind::kMismatch,
                 "",
                 std::move(summary),
                 {{"count", count_}, {"first", std::move(first)}}};
}

std::optional<Failure> CheckMismatches(const History& history) {
  MismatchTally tally;
  for (const Operation& op : history.ops) tally.Add(op);
  return tally.Result();
}

}  // namespace stampede
