#include "cli/summary.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

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

// Latency and a rate only when some request was answered: without an answer they would only
// measure timeouts, refusals or nothing at all. A run without requests (a client-run without
// its fixture, whose client talks to the scenario's own servers) says so.
std::string StatsLine(const nlohmann::json& stats) {
  if (!stats.contains("ops")) return "";
  if (stats.value("ops", std::int64_t{0}) == 0) return "  no requests were observed\n";
  std::string line =
      fmt::format("  ops {} (ok {}, failed {}, info {})", Number(stats["ops"]), Number(stats["ok"]),
                  Number(stats["failed"]), Number(stats["info"]));
  if (stats.value("ok", 0) == 0) return line + "; no request was answered\n";
  const auto& latency = stats.value("latency_us", nlohmann::json::object());
  return line + fmt::format("; latency p50 {} p99 {} max {}; {} ops/s\n",
                            Millis(latency.value("p50", nlohmann::json())),
                            Millis(latency.value("p99", nlohmann::json())),
                            Millis(latency.value("max", nlohmann::json())),
                            Number(stats.value("throughput_ops_s", nlohmann::json())));
}

// For open-loop loads: "  open loop: paced asked 2000/s achieved 2004/s; latency from the
// send, uncorrected: p50 1.18ms p99 1.51ms max 300.30ms".
std::string OpenLoopLine(const nlohmann::json& stats) {
  std::string rates;
  auto add_rate = [&](const std::string& name, const nlohmann::json& figures) {
    if (!figures.is_object() || !figures.contains("rate")) return;
    rates += fmt::format("{}{}asked {}/s achieved {}/s", rates.empty() ? "" : ", ",
                         name.empty() ? "" : name + " ", Number(figures["rate"]["asked"]),
                         Number(figures["rate"]["achieved"]));
  };
  add_rate("", stats);
  const auto streams = stats.value("streams", nlohmann::json::object());
  for (const auto& [name, figures] : streams.items()) add_rate(name, figures);
  if (rates.empty() || !stats.contains("latency_uncorrected_us")) return "";
  const auto& latency = stats["latency_uncorrected_us"];
  return fmt::format("  open loop: {}; latency from the send, uncorrected: p50 {} p99 {} max {}\n",
                     rates, Millis(latency.value("p50", nlohmann::json())),
                     Millis(latency.value("p99", nlohmann::json())),
                     Millis(latency.value("max", nlohmann::json())));
}

// "  errors: connection reset by peer 17, connection closed by peer 3", most common first (ties
// by message); `label` "errors" for stats.errors_by_reason, "info" for stats.info_by_reason.
std::string ReasonsLine(const nlohmann::json& stats, const std::string& key,
                        const std::string& label) {
  const auto reasons = stats.value(key, nlohmann::json::object());
  if (!reasons.is_object() || reasons.empty()) return "";
  std::vector<std::pair<std::int64_t, std::string>> by_count;
  for (const auto& [reason, count] : reasons.items()) {
    by_count.emplace_back(-count.get<std::int64_t>(), reason);
  }
  std::sort(by_count.begin(), by_count.end());
  std::string line = "  " + label + ":";
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
  // A rate over cycles none of which passed (a setup error, say) would mean nothing.
  if (cycles.value("passed", 0) == 0) return line + "\n";
  return line + fmt::format(" ({:.1f} cycles/s)\n", cycles.value("cycles_per_s", 0.0));
}

// One line per named load stream when there are several: "    flood: ops 12000 (ok 12000, failed 0,
// info 0) 40210 ops/s".
std::string StreamLines(const nlohmann::json& stats) {
  const auto streams = stats.value("streams", nlohmann::json::object());
  std::string out;
  if (streams.size() < 2) return out;  // one stream: the totals say it all
  for (const auto& [name, figures] : streams.items()) {
    out += fmt::format("    {}: ops {} (ok {}, failed {}, info {}) {} ops/s\n", name,
                       Number(figures.value("ops", nlohmann::json())),
                       Number(figures.value("ok", nlohmann::json())),
                       Number(figures.value("failed", nlohmann::json())),
                       Number(figures.value("info", nlohmann::json())),
                       Number(figures.value("throughput_ops_s", nlohmann::json())));
  }
  return out;
}

constexpr std::size_t kTimelineLines = 8;

// "  timeline: 25 actions (ok 25)" and the first firings, one line each:
// "    +0.200s signal SIGHUP server: ok in 0 ms, sent SIGHUP".
std::string TimelineLines(const nlohmann::json& timeline) {
  if (!timeline.is_object()) return "";
  std::string counts;
  const auto by_outcome = timeline.value("by_outcome", nlohmann::json::object());
  for (const auto& [outcome, count] : by_outcome.items()) {
    counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", outcome, Number(count));
  }
  std::string out =
      fmt::format("  timeline: {} actions ({})\n", Number(timeline.value("count", 0)), counts);
  const auto actions = timeline.value("actions", nlohmann::json::array());
  for (std::size_t i = 0; i < actions.size() && i < kTimelineLines; ++i) {
    const auto& entry = actions[i];
    std::string what = entry.value("error", entry.value("result", std::string()));
    if (what.size() > 80) what = what.substr(0, 77) + "...";
    for (auto& c : what) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    const auto took = entry.value("took_ms", nlohmann::json());
    out += fmt::format(
        "    +{:.3f}s {}: {}{}{}\n", static_cast<double>(entry.value("at_ms", 0)) / 1000.0,
        entry.value("action", std::string()), entry.value("outcome", std::string()),
        took.is_null() ? "" : " in " + Number(took) + " ms", what.empty() ? "" : ", " + what);
  }
  if (actions.size() > kTimelineLines) {
    out += fmt::format(
        "    ... {} more in verdict.json\n",
        timeline.value("count", std::int64_t{0}) - static_cast<std::int64_t>(kTimelineLines));
  }
  if (const auto downtime = timeline.value("downtime", nlohmann::json()); downtime.is_object()) {
    out += fmt::format(
        "  downtime: {} windows; {} load failures while a target was down (not errors)\n",
        Number(downtime.value("count", 0)), Number(downtime.value("excused_failures", 0)));
  }
  return out;
}

std::string Seconds(double ms) {
  return ms >= 1000 ? fmt::format("{:.2f}s", ms / 1000) : fmt::format("{:.1f}ms", ms);
}

// "ready in 4.1ms" (one sample) or "ready in 3.2ms median (min 2.1ms, max 9.0ms)".
std::string TimeFigure(const char* what, const nlohmann::json& figure) {
  if (!figure.is_object()) return "";
  const double max = figure.value("max", 0.0);
  std::string text = fmt::format("{} in {}", what, Seconds(figure.value("median", 0.0)));
  if (figure.value("count", 0) > 1) {
    text +=
        fmt::format(" median (min {}, max {})", Seconds(figure.value("min", 0.0)), Seconds(max));
  }
  return text + fmt::format(" of {}", Seconds(figure.value("deadline_ms", 0)));
}

// "  server: ready in 4.1ms of 10.00s; stopped in 5.05s of 8.00s" per target.
std::string TargetTimesLines(const nlohmann::json& targets) {
  std::string out;
  if (!targets.is_object()) return out;
  for (const auto& [name, times] : targets.items()) {
    std::vector<std::string> parts;
    if (auto ready = TimeFigure("ready", times.value("ready_ms", nlohmann::json())); !ready.empty())
      parts.push_back(ready);
    if (auto stop = TimeFigure("stopped", times.value("stop_ms", nlohmann::json())); !stop.empty())
      parts.push_back(stop);
    if (times.value("stops_missed", 0) > 0) {
      parts.push_back(fmt::format("{} stops missed the deadline", times.value("stops_missed", 0)));
    }
    if (!parts.empty()) out += fmt::format("  {}: {}\n", name, fmt::join(parts, "; "));
  }
  return out;
}

}  // namespace

std::string FormatSummary(const Verdict& verdict, const std::string& dir, bool color) {
  std::string out = fmt::format("{}: {} in {:.1f}s  ({})\n", verdict.scenario,
                                OutcomeWord(verdict.outcome, color),
                                static_cast<double>(verdict.duration_ms) / 1000.0, dir);
  if (!verdict.error.empty()) out += "  error: " + verdict.error + "\n";
  for (const auto& failure : verdict.failures) {
    out += fmt::format("  {:<8} {}\n", ToString(failure.kind), failure.summary);
    for (const auto& consequence : failure.consequences) {
      out += fmt::format("           then {} (consequence): {}\n",
                         consequence.value("kind", std::string()),
                         consequence.value("summary", std::string()));
    }
  }
  out += CyclesLine(verdict.cycles);
  out += TargetTimesLines(verdict.targets);
  out += TimelineLines(verdict.timeline);
  // A run that ended before its load started (a target never ready) has no figures to give.
  const bool load_ran = verdict.error.empty() || verdict.stats.value("ops", std::int64_t{0}) > 0;
  if (load_ran) out += StatsLine(verdict.stats);
  out += OpenLoopLine(verdict.stats);
  out += StreamLines(verdict.stats);
  out += ReasonsLine(verdict.stats, "errors_by_reason", "errors");
  out += ReasonsLine(verdict.stats, "info_by_reason", "not errors (info)");
  if (verdict.outcome != Outcome::kPass) out += "  reproduce: " + verdict.reproduce + "\n";
  return out;
}

}  // namespace stampede
