#include "cli/summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace stampede {
namespace {

std::string OutcomeWord(Outcome outcome, bool color) {
  std::string word = ToString(outcome);
  for (auto& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!color) return word;
  const char* code = outcome == Outcome::kPass ? "32" : outcome == Outcome::kFail ? "31" : "33";
  return fmt::format("\033[1;{}m{}\033[0m", code, word);
}

std::string Number(const nlohmann::json& value) {
  if (value.is_null()) return "-";
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  return fmt::format("{:.0f}", value.get<double>());
}

std::string Millis(const nlohmann::json& micros) {
  if (micros.is_null()) return "-";
  return fmt::format("{:.2f}ms", micros.get<double>() / 1000.0);
}

std::string StatsLine(const nlohmann::json& stats) {
  if (!stats.contains("ops")) return "";
  const auto& latency = stats.value("latency_us", nlohmann::json::object());
  return fmt::format(
      "  ops {} (ok {}, failed {}, info {}); latency p50 {} p99 {} max {}; {} ops/s\n",
      Number(stats["ops"]), Number(stats["ok"]), Number(stats["failed"]), Number(stats["info"]),
      Millis(latency.value("p50", nlohmann::json())),
      Millis(latency.value("p99", nlohmann::json())),
      Millis(latency.value("max", nlohmann::json())),
      Number(stats.value("throughput_ops_s", nlohmann::json())));
}

// "  errors: connection reset by peer 17, connection closed by peer 3", most common first.
std::string ErrorsLine(const nlohmann::json& stats) {
  const auto reasons = stats.value("errors_by_reason", nlohmann::json::object());
  if (!reasons.is_object() || reasons.empty()) return "";
  std::vector<std::pair<std::int64_t, std::string>> by_count;
  for (const auto& [reason, count] : reasons.items()) {
    by_count.emplace_back(-count.get<std::int64_t>(), reason);
  }
  std::sort(by_count.begin(), by_count.end());
  std::string line = "  errors:";
  for (std::size_t i = 0; i < by_count.size() && i < 3; ++i) {
    line += fmt::format("{} {} {}", i == 0 ? "" : ",", by_count[i].second, -by_count[i].first);
  }
  if (by_count.size() > 3) line += fmt::format(" (+{} more)", by_count.size() - 3);
  return line + "\n";
}

// "  cycles: 37 of 50 passed; first failed: 38 (3.2 cycles/s)" for a start-stop run.
std::string CyclesLine(const nlohmann::json& cycles) {
  if (!cycles.is_object()) return "";
  std::string line = fmt::format("  cycles: {} of {} passed", Number(cycles.value("passed", 0)),
                                 Number(cycles.value("planned", 0)));
  if (cycles.value("run", 0) != cycles.value("planned", 0)) {
    line += fmt::format(" ({} run)", Number(cycles.value("run", 0)));
  }
  const auto first_failed = cycles.value("first_failed", nlohmann::json());
  if (!first_failed.is_null()) line += "; first failed: cycle " + Number(first_failed);
  return line + fmt::format(" ({:.1f} cycles/s)\n", cycles.value("cycles_per_s", 0.0));
}

}  // namespace

std::string FormatSummary(const Verdict& verdict, const std::string& dir, bool color) {
  std::string out = fmt::format("{}: {} in {:.1f}s  ({})\n", verdict.scenario,
                                OutcomeWord(verdict.outcome, color),
                                static_cast<double>(verdict.duration_ms) / 1000.0, dir);
  if (!verdict.error.empty()) out += "  error: " + verdict.error + "\n";
  for (const auto& failure : verdict.failures) {
    out += fmt::format("  {:<8} {}\n", ToString(failure.kind), failure.summary);
  }
  out += CyclesLine(verdict.cycles);
  out += StatsLine(verdict.stats);
  out += ErrorsLine(verdict.stats);
  if (verdict.outcome != Outcome::kPass) out += "  reproduce: " + verdict.reproduce + "\n";
  return out;
}

}  // namespace stampede
