#include "run/attempts.h"

#include <fstream>
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
    case SeriesEnd::kProven:
      return "proven";
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
                    {"signature", record.signature},
                    {"dir", record.dir.string()},
                    {"duration_ms", record.duration_ms}});
  }
  return runs;
}

nlohmann::json Proof(const SeriesInfo& info, std::int64_t failed, std::int64_t judged) {
  const char* result = failed > 0                       ? "failed"
                       : info.end == SeriesEnd::kProven ? "proven"
                                                        : "incomplete";
  return {{"confidence", info.confidence},
          {"below", info.below},
          {"clean_attempts_needed", CleanAttemptsToProve(info.confidence, info.below)},
          {"upper_bound", WilsonUpperBound(failed, judged, info.confidence)},
          {"result", result}};
}

nlohmann::json Signatures(const std::vector<AttemptRecord>& records,
                          const std::set<std::string>& known) {
  auto groups = nlohmann::json::array();
  std::map<std::string, std::size_t> index;
  for (const auto& record : records) {
    if (record.outcome != Outcome::kFail) continue;
    auto [it, fresh] = index.emplace(record.signature, groups.size());
    if (fresh) {
      groups.push_back({{"signature", record.signature},
                        {"attempts", 0},
                        {"first_attempt", record.attempt},
                        {"dir", record.dir.string()},
                        {"reproduce", record.reproduce},
                        {"known", known.contains(record.signature)}});
    }
    auto& count = groups[it->second]["attempts"];
    count = count.get<std::int64_t>() + 1;
  }
  return groups;
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
  nlohmann::json summary = {
      {"schema", "stampede.summary/1"},
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
      {"signatures", Signatures(records, info.known)},
      {"attempts_per_minute", per_minute},
      {"wall_ms", info.wall_ms},
      {"runs", Runs(records)}};
  if (info.mode == "prove") summary["proof"] = Proof(info, failed, judged);
  return summary;
}

Result<std::set<std::string>> KnownSignatures(const std::filesystem::path& summary_file) {
  std::ifstream in(summary_file);
  const auto summary = nlohmann::json::parse(in, nullptr, false);
  if (!in || summary.is_discarded() || !summary.is_object() ||
      summary.value("schema", std::string()) != "stampede.summary/1" ||
      !summary.contains("signatures") || !summary["signatures"].is_array()) {
    return InvalidInput(summary_file.string() +
                        ": not a summary.json with signatures (written by stampede run --repeat "
                        "or --until-fail)");
  }
  std::set<std::string> known;
  for (const auto& group : summary["signatures"]) {
    if (group.is_object() && group.contains("signature") && group["signature"].is_string()) {
      known.insert(group["signature"].get<std::string>());
    }
  }
  return known;
}

}  // namespace stampede
