#include "cli/summary.h"

#include <fmt/format.h>

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

}  // namespace

std::string FormatSummary(const Verdict& verdict, const std::string& dir, bool color) {
  std::string out = fmt::format("{}: {} in {:.1f}s  ({})\n", verdict.scenario,
                                OutcomeWord(verdict.outcome, color),
                                static_cast<double>(verdict.duration_ms) / 1000.0, dir);
  if (!verdict.error.empty()) out += "  error: " + verdict.error + "\n";
  for (const auto& failure : verdict.failures) {
    out += fmt::format("  {:<8} {}\n", ToString(failure.kind), failure.summary);
  }
  out += StatsLine(verdict.stats);
  if (verdict.outcome != Outcome::kPass) out += "  reproduce: " + verdict.reproduce + "\n";
  return out;
}

}  // namespace stampede
