#include "reports/suite_data.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <set>
#include <utility>

namespace stampede::reports {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Thrown only inside this file, turned into a ReportError by ParseSuite.
struct ParseFailure {
  std::string where;  // JSON pointer
  std::string what;
};

// A JSON value with its JSON pointer, for messages that say where a field is wrong.
class Node {
 public:
  Node(const json& value, std::string pointer) : value_(value), pointer_(std::move(pointer)) {}

  const json& value() const { return value_; }
  [[noreturn]] void Fail(const std::string& what) const { throw ParseFailure{Where(), what}; }

  Node Field(const std::string& key) const {
    if (!value_.is_object()) Fail("expected an object");
    auto it = value_.find(key);
    if (it == value_.end()) throw ParseFailure{Where(), fmt::format("missing field \"{}\"", key)};
    return Node(*it, pointer_ + "/" + key);
  }
  bool Has(const std::string& key) const { return value_.is_object() && value_.contains(key); }
  bool IsNull() const { return value_.is_null(); }

  std::string String() const {
    if (!value_.is_string()) Fail("expected a string");
    return value_.get<std::string>();
  }
  std::int64_t Integer() const {
    if (!value_.is_number_integer()) Fail("expected an integer");
    if (value_.is_number_unsigned() && value_.get<std::uint64_t>() > INT64_MAX) Fail("too large");
    return value_.get<std::int64_t>();
  }
  std::uint64_t Unsigned() const {
    if (!value_.is_number_integer() ||
        (!value_.is_number_unsigned() && value_.get<std::int64_t>() < 0))
      Fail("expected an unsigned integer");
    return value_.get<std::uint64_t>();
  }
  double Number() const {
    if (!value_.is_number()) Fail("expected a number");
    return value_.get<double>();
  }
  bool Bool() const {
    if (!value_.is_boolean()) Fail("expected true or false");
    return value_.get<bool>();
  }
  std::string OneOf(const std::set<std::string>& choices) const {
    std::string text = String();
    if (!choices.contains(text)) Fail(fmt::format("unexpected value \"{}\"", text));
    return text;
  }
  std::optional<std::string> OptionalString() const {
    if (IsNull()) return std::nullopt;
    return String();
  }
  std::vector<Node> Items() const {
    if (!value_.is_array()) Fail("expected an array");
    std::vector<Node> items;
    for (std::size_t i = 0; i < value_.size(); ++i)
      items.emplace_back(value_[i], pointer_ + "/" + std::to_string(i));
    return items;
  }
  std::vector<std::pair<std::string, Node>> Members() const {
    if (!value_.is_object()) Fail("expected an object");
    std::vector<std::pair<std::string, Node>> members;
    for (const auto& [key, item] : value_.items())
      members.emplace_back(key, Node(item, pointer_ + "/" + key));
    return members;
  }
  std::vector<std::string> Strings() const {
    std::vector<std::string> out;
    for (const Node& item : Items()) out.push_back(item.String());
    return out;
  }

 private:
  std::string Where() const { return pointer_.empty() ? "/" : pointer_; }

  const json& value_;
  std::string pointer_;
};

const std::set<std::string> kVerdicts = {"pass", "fail", "error", "aborted"};
const std::set<std::string> kOutcomes = {"pass",  "fail",   "expected-fail", "unexpected-pass",
                                         "error", "aborted"};

AttemptStats ParseStats(const Node& node) {
  AttemptStats stats;
  stats.ops = node.Field("ops").Integer();
  stats.ok = node.Field("ok").Integer();
  stats.failed = node.Field("failed").Integer();
  stats.info = node.Field("info").Integer();
  stats.throughput_ops_s = node.Field("throughput_ops_s").Number();
  const Node latency = node.Field("latency_us");
  stats.latency_us = {latency.Field("p50").Number(), latency.Field("p90").Number(),
                      latency.Field("p99").Number(), latency.Field("max").Number(),
                      latency.Field("mean").Number()};
  return stats;
}

Attempt ParseAttempt(const Node& node, const fs::path& base) {
  Attempt attempt;
  attempt.attempt = static_cast<int>(node.Field("attempt").Integer());
  attempt.seed = node.Field("seed").Unsigned();
  attempt.verdict = node.Field("verdict").OneOf(kVerdicts);
  attempt.kinds = node.Field("kinds").Strings();
  for (const Node& failure : node.Field("failures").Items()) {
    attempt.failures.push_back({failure.Field("kind").String(),
                                failure.Field("target").OptionalString(),
                                failure.Field("summary").String()});
  }
  attempt.error = node.Field("error").OptionalString();
  attempt.dir = base / node.Field("dir").String();
  attempt.verdict_file = base / node.Field("verdict_file").String();
  attempt.reproduce = node.Field("reproduce").String();
  attempt.duration_ms = node.Field("duration_ms").Integer();
  const Node stats = node.Field("stats");
  if (!stats.IsNull()) attempt.stats = ParseStats(stats);
  for (const Node& stop : node.Field("stop_ms").Items()) attempt.stop_ms.push_back(stop.Number());
  return attempt;
}

Cell ParseCell(const Node& node, const fs::path& base) {
  Cell cell;
  cell.id = node.Field("id").String();
  cell.scenario = node.Field("scenario").String();
  cell.scenario_file = node.Field("scenario_file").String();
  for (const auto& [key, value] : node.Field("values").Members()) cell.values[key] = value.String();
  cell.params = node.Field("params").value();
  if (!cell.params.is_object()) node.Field("params").Fail("expected an object");
  cell.expect = node.Field("expect").OneOf({"pass", "fail"});
  cell.outcome = node.Field("outcome").OneOf(kOutcomes);
  cell.as_expected = node.Field("as_expected").Bool();
  cell.dir = base / node.Field("dir").String();
  cell.passed = node.Field("passed").Integer();
  cell.failed = node.Field("failed").Integer();
  cell.errors = node.Field("errors").Integer();
  cell.aborted = node.Field("aborted").Integer();
  for (const auto& [kind, count] : node.Field("failures_by_kind").Members())
    cell.failures_by_kind[kind] = count.Integer();
  const Node rate = node.Field("failure_rate");
  cell.failure_rate = {rate.Field("rate").Number(), rate.Field("low").Number(),
                       rate.Field("high").Number(), rate.Field("confidence").Number()};
  for (const Node& attempt : node.Field("attempts").Items())
    cell.attempts.push_back(ParseAttempt(attempt, base));
  return cell;
}

SuiteSource ParseSource(const Node& root, const std::string& name) {
  SuiteSource source;
  source.file = name;
  source.started_at = root.Field("started_at").String();
  source.wall_ms = root.Field("wall_ms").Integer();
  source.command = root.Field("command").String();
  source.repeat = static_cast<int>(root.Field("repeat").Integer());
  const Node shard = root.Field("shard");
  if (!shard.IsNull()) {
    source.shard = Shard{static_cast<int>(shard.Field("index").Integer()),
                         static_cast<int>(shard.Field("count").Integer())};
  }
  for (const auto& [key, values] : root.Field("matrix").Members())
    source.matrix[key] = values.Strings();
  source.sets = root.Field("sets").Strings();
  return source;
}

Totals ComputeTotals(const std::vector<Cell>& cells) {
  Totals totals;
  for (const Cell& cell : cells) {
    ++totals.cells;
    ++(cell.as_expected ? totals.as_expected : totals.unexpected);
    totals.attempts += static_cast<std::int64_t>(cell.attempts.size());
    totals.passed += cell.passed;
    totals.failed += cell.failed;
    totals.errors += cell.errors;
    totals.aborted += cell.aborted;
  }
  return totals;
}

// Recomputes everything a cell derives from its attempts (after attempts were appended).
void Rederive(Cell& cell) {
  cell.passed = cell.failed = cell.errors = cell.aborted = 0;
  cell.failures_by_kind.clear();
  for (const Attempt& attempt : cell.attempts) {
    if (attempt.verdict == "pass") ++cell.passed;
    if (attempt.verdict == "fail") ++cell.failed;
    if (attempt.verdict == "error") ++cell.errors;
    if (attempt.verdict == "aborted") ++cell.aborted;
    for (const std::string& kind :
         std::set<std::string>(attempt.kinds.begin(), attempt.kinds.end()))
      ++cell.failures_by_kind[kind];
  }
  cell.failure_rate = WilsonFailureRate(cell.failed, cell.passed + cell.failed);
  cell.outcome = CellOutcome(cell.expect, cell.attempts);
  cell.as_expected = cell.outcome == "pass" || cell.outcome == "expected-fail";
}

}  // namespace

std::string CellOutcome(const std::string& expect, const std::vector<Attempt>& attempts) {
  auto any = [&](const char* verdict) {
    for (const Attempt& attempt : attempts)
      if (attempt.verdict == verdict) return true;
    return false;
  };
  if (any("error")) return "error";
  if (any("aborted")) return "aborted";
  if (expect == "fail") return any("fail") ? "expected-fail" : "unexpected-pass";
  return any("fail") ? "fail" : "pass";
}

FailureRate WilsonFailureRate(std::int64_t failures, std::int64_t judged) {
  if (judged <= 0) return {};
  constexpr double z = 1.959963984540054;
  const auto n = static_cast<double>(judged);
  const double p = static_cast<double>(failures) / n;
  const double denominator = 1 + z * z / n;
  const double center = (p + z * z / (2 * n)) / denominator;
  const double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator;
  return {p, std::max(0.0, center - half), std::min(1.0, center + half), 0.95};
}

ReportResult<Suite> ParseSuite(const json& document, const fs::path& base,
                               const std::string& name) {
  try {
    const Node root(document, "");
    const std::string schema = root.Field("schema").String();
    if (schema != "stampede.suite/1") {
      return ReportError{
          ReportError::Kind::kInvalidInput,
          fmt::format("{}: schema \"{}\" is not supported (expected \"stampede.suite/1\")", name,
                      schema)};
    }
    Suite suite;
    suite.sources.push_back(ParseSource(root, name));
    for (const Node& cell : root.Field("cells").Items())
      suite.cells.push_back(ParseCell(cell, base));
    root.Field("totals");  // present as the schema requires; recomputed below
    std::set<std::string> ids;
    for (const Cell& cell : suite.cells) {
      if (!ids.insert(cell.id).second)
        throw ParseFailure{"/cells", fmt::format("cell id \"{}\" appears twice", cell.id)};
    }
    suite.totals = ComputeTotals(suite.cells);
    return suite;
  } catch (const ParseFailure& failure) {
    return ReportError{ReportError::Kind::kInvalidInput,
                       fmt::format("{}: at {}: {}", name, failure.where, failure.what)};
  } catch (const json::exception& e) {  // a number out of range for its type
    return ReportError{ReportError::Kind::kInvalidInput, fmt::format("{}: {}", name, e.what())};
  }
}

ReportResult<Suite> LoadSuite(const fs::path& path) {
  std::error_code ec;
  const fs::path file = fs::is_directory(path, ec) ? path / "suite.json" : path;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    const char* why = fs::exists(file, ec) ? "cannot be read" : "does not exist";
    return ReportError{
        ReportError::Kind::kInvalidInput,
        fmt::format("{}: {} (expected a suite folder or its suite.json)", file.string(), why)};
  }
  json document;
  try {
    document = json::parse(in);
  } catch (const json::parse_error& e) {
    return ReportError{ReportError::Kind::kInvalidInput,
                       fmt::format("{}: invalid JSON: {}", file.string(), e.what())};
  }
  return ParseSuite(document, file.parent_path(), file.string());
}

Suite MergeSuites(std::vector<Suite> suites) {
  Suite merged;
  std::map<std::string, std::size_t> index_of;
  std::set<std::size_t> grown;
  for (Suite& suite : suites) {
    for (SuiteSource& source : suite.sources) merged.sources.push_back(std::move(source));
    for (Cell& cell : suite.cells) {
      auto [it, inserted] = index_of.emplace(cell.id, merged.cells.size());
      if (inserted) {
        merged.cells.push_back(std::move(cell));
        continue;
      }
      Cell& existing = merged.cells[it->second];
      for (Attempt& attempt : cell.attempts) existing.attempts.push_back(std::move(attempt));
      grown.insert(it->second);
    }
  }
  for (std::size_t index : grown) Rederive(merged.cells[index]);
  merged.totals = ComputeTotals(merged.cells);
  return merged;
}

ReportResult<Suite> LoadAndMerge(const std::vector<fs::path>& paths) {
  if (paths.empty()) return ReportError{ReportError::Kind::kInvalidInput, "no suite folder given"};
  std::vector<Suite> suites;
  for (const fs::path& path : paths) {
    auto loaded = LoadSuite(path);
    if (!loaded.ok()) return loaded.error();
    suites.push_back(std::move(loaded).value());
  }
  return MergeSuites(std::move(suites));
}

}  // namespace stampede::reports
