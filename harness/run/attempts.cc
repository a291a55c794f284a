#include "run/attempts.h"

#include <map>

#include "checkers/failure_rate.h"

namespace stampede {

std::uint64_t AttemptSeed(std::uint64_t base, int attempt) {
  return base + static_cast<std::uint64_t>(attempt - 1);
}

const char* ToString(SeriesEnd end) {
  switch (end) {
    case SeriesEnd::kCompleted:
      return "completed";
    case SeriesEnd::kFirstFailure:
      return "first_failure";
    case SeriesEnd::kMaxRuns:
      return "max_runs";
    case SeriesEnd::kMaxTime:
      return "max_time";
    case SeriesEnd::kInterrupted:
      return "interrupted";
    case SeriesEnd::kError:
      return "error";
  }
  return "?";
}

namespace {

nlohmann::json FirstFailure(const std::vector<AttemptRecord>& records) {
  for (const auto& record : records) {
    if (record.outcome != Outcome::kFail) continue;
    return {{"attempt", record.attempt},
            {"seed", record.seed},
            {"dir", record.dir.string()},
            {"kinds", record.failure_kinds},
            {"reproduce", record.reproduce}};
  }
  return nullptr;
}

nlohmann::json Runs(const std::vector<AttemptRecord>& records) {
  auto runs = nlohmann::json::array();
  for (const auto& record : records) {
    runs.push_back({{"attempt", record.attempt},
                    {"seed", record.seed},
                    {"verdict", ToString(record.outcome)},
                    {"kinds", record.failure_kinds},
                    {"dir", record.dir.string()},
                    {"duration_ms", record.duration_ms}});
  }
  return runs;
}

}  // namespace

nlohmann::json SummarizeAttempts(const SeriesInfo& info,
                                 const std::vector<AttemptRecord>& records) {
  std::map<Outcome, std::int64_t> outcomes;
  std::map<std::string, std::int64_t> by_kind;
  for (const auto& record : records) {
    ++outcomes[record.outcome];
    for (const auto& kind : record.failure_kinds) ++by_kind[kind];
  }
  const std::int64_t failed = outcomes[Outcome::kFail];
  const std::int64_t judged = outcomes[Outcome::kPass] + failed;
  const FailureRate rate = WilsonInterval(failed, judged);
  const auto attempts = static_cast<std::int64_t>(records.size());
  const double per_minute =
      info.wall_ms > 0 ? static_cast<double>(attempts) * 60000.0 / static_cast<double>(info.wall_ms)
                       : 0.0;
  return {{"schema", "stampede.summary/1"},
          {"scenario", info.scenario},
          {"mode", info.mode},
          {"planned", info.planned},
          {"ended", ToString(info.end)},
          {"attempts", attempts},
          {"passed", outcomes[Outcome::kPass]},
          {"failed", failed},
          {"errors", outcomes[Outcome::kError]},
          {"aborted", outcomes[Outcome::kAborted]},
          {"failures_by_kind", by_kind},
          {"failure_rate",
           {{"rate", rate.rate}, {"low", rate.low}, {"high", rate.high}, {"confidence", 0.95}}},
          {"first_failure", FirstFailure(records)},
          {"attempts_per_minute", per_minute},
          {"wall_ms", info.wall_ms},
          {"runs", Runs(records)}};
}

}  // namespace stampede
