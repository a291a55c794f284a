#include "reports/report_format.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

namespace stampede::reports {

std::string Number(double value, int decimals) {
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

std::string Micros(double us) {
  if (std::abs(us) < 1000) return Number(us, 0) + " µs";
  if (std::abs(us) < 1'000'000) return fmt::format("{:.2f} ms", us / 1000);
  return fmt::format("{:.2f} s", us / 1'000'000);
}

std::string SignedPercent(double fraction) {
  return fmt::format("{:+.1f}%", fraction * 100);
}

std::string Shorten(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

std::optional<FirstProblem> FirstProblemOf(const Cell& cell) {
  for (const Attempt& attempt : cell.attempts) {
    if (attempt.verdict == "fail" && !attempt.failures.empty())
      return FirstProblem{attempt.attempt, attempt.failures[0].kind, attempt.failures[0].summary};
  }
  for (const Attempt& attempt : cell.attempts) {
    if (attempt.verdict == "error")
      return FirstProblem{attempt.attempt, "error", attempt.error.value_or("")};
    if (attempt.verdict == "aborted")
      return FirstProblem{attempt.attempt, "aborted", "interrupted"};
  }
  return std::nullopt;
}

std::string KindsText(const Cell& cell) {
  std::string text;
  for (const auto& [kind, count] : cell.failures_by_kind)
    text += fmt::format("{}{} ×{}", text.empty() ? "" : ", ", kind, count);
  return text;
}

std::string AttemptCountsText(const Cell& cell) {
  std::vector<std::string> parts;
  if (cell.passed) parts.push_back(fmt::format("{} pass", cell.passed));
  if (cell.failed) parts.push_back(fmt::format("{} fail", cell.failed));
  if (cell.errors) parts.push_back(fmt::format("{} error", cell.errors));
  if (cell.aborted) parts.push_back(fmt::format("{} aborted", cell.aborted));
  return parts.empty() ? "no attempts" : fmt::format("{}", fmt::join(parts, ", "));
}

std::string SourceLine(const SuiteSource& source) {
  std::string shard =
      source.shard ? fmt::format("shard {}/{}, ", source.shard->index, source.shard->count) : "";
  return fmt::format("{}started {}, {} s: {}", shard, source.started_at,
                     Number(static_cast<double>(source.wall_ms) / 1000.0), source.command);
}

}  // namespace stampede::reports
