#include "reports/junit_report.h"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <vector>

#include "reports/report_links.h"
#include "reports/text_escape.h"

namespace stampede::reports {
namespace {

// What one attempt's testcase reports.
struct CaseResult {
  std::string element;  // "", "failure" or "error"
  std::string type;
  std::string message;
  std::string details;
  std::string note;  // first lines of <system-out>
};

std::string Seconds(std::int64_t ms) {
  return fmt::format("{:.3f}", static_cast<double>(ms) / 1000.0);
}

std::string FailureLine(const Failure& failure) {
  return failure.target ? fmt::format("{} ({}): {}", failure.kind, *failure.target, failure.summary)
                        : fmt::format("{}: {}", failure.kind, failure.summary);
}

std::string FailureDetails(const Attempt& attempt) {
  std::string details;
  for (const Failure& failure : attempt.failures) details += FailureLine(failure) + "\n";
  return details + fmt::format("seed: {}\nreproduce: {}\n", attempt.seed, attempt.reproduce);
}

std::string FirstFailureMessage(const Attempt& attempt) {
  if (attempt.failures.empty()) return "fail";
  return attempt.failures[0].kind + ": " + attempt.failures[0].summary;
}

CaseResult Judge(const Cell& cell, const Attempt& attempt) {
  if (attempt.verdict == "error")
    return {"error", "error", attempt.error.value_or("the run could not be judged"),
            FailureDetails(attempt), ""};
  if (attempt.verdict == "aborted")
    return {"error", "aborted", "aborted: the run was interrupted", FailureDetails(attempt), ""};
  if (cell.expect == "pass") {
    if (attempt.verdict == "pass") return {};
    const std::string kind = attempt.failures.empty() ? "fail" : attempt.failures[0].kind;
    return {"failure", kind, FirstFailureMessage(attempt), FailureDetails(attempt), ""};
  }
  if (cell.outcome == "unexpected-pass") {
    return {"failure", "unexpected-pass",
            "unexpected pass: the cell expects a failure and no attempt failed",
            FailureDetails(attempt), ""};
  }
  if (attempt.verdict == "fail")
    return {"", "", "", "", "expected failure: " + FirstFailureMessage(attempt) + "\n"};
  return {"", "", "", "", "passed; the cell expects a failure, which another attempt showed\n"};
}

std::string SystemOut(const Attempt& attempt, const CaseResult& result) {
  std::string out = result.note;
  out += fmt::format("reproduce: {}\nseed: {}\nrun folder: {}\n", attempt.reproduce, attempt.seed,
                     attempt.dir.string());
  const auto files = EvidenceFiles(attempt.dir);
  if (!files.empty()) out += "evidence:\n";
  for (const auto& file : files) out += "  " + file.string() + "\n";
  return out;
}

std::string TestCase(const Cell& cell, const Attempt& attempt, const CaseResult& result) {
  const std::string name =
      cell.attempts.size() > 1 ? fmt::format("{} #{}", cell.id, attempt.attempt) : cell.id;
  std::string xml =
      fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"{}\">\n", XmlEscape(name),
                  XmlEscape(cell.scenario), Seconds(attempt.duration_ms));
  if (!result.element.empty()) {
    xml += fmt::format("      <{0} message=\"{1}\" type=\"{2}\">{3}</{0}>\n", result.element,
                       XmlEscape(result.message), XmlEscape(result.type), XmlText(result.details));
  }
  xml += fmt::format("      <system-out>{}</system-out>\n", XmlText(SystemOut(attempt, result)));
  return xml + "    </testcase>\n";
}

// "2026-11-30T23:31:05.329Z" → "2026-11-30T23:31:05" (the schema's timestamp has no zone).
std::optional<std::string> Timestamp(const Suite& suite) {
  if (suite.sources.empty()) return std::nullopt;
  const std::string& text = suite.sources[0].started_at;
  const std::string shape = "dddd-dd-ddTdd:dd:dd";
  if (text.size() < shape.size()) return std::nullopt;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const bool ok = shape[i] == 'd' ? text[i] >= '0' && text[i] <= '9' : text[i] == shape[i];
    if (!ok) return std::nullopt;
  }
  return text.substr(0, shape.size());
}

struct Counts {
  int tests = 0, failures = 0, errors = 0;
  std::int64_t ms = 0;
};

}  // namespace

std::string JunitXml(const Suite& suite) {
  std::vector<std::string> order;
  std::map<std::string, std::string> bodies;
  std::map<std::string, Counts> counts;
  for (const Cell& cell : suite.cells) {
    if (!bodies.contains(cell.scenario)) order.push_back(cell.scenario);
    for (const Attempt& attempt : cell.attempts) {
      const CaseResult result = Judge(cell, attempt);
      bodies[cell.scenario] += TestCase(cell, attempt, result);
      Counts& c = counts[cell.scenario];
      ++c.tests;
      c.failures += result.element == "failure";
      c.errors += result.element == "error";
      c.ms += attempt.duration_ms;
    }
  }
  Counts all;
  for (const auto& [scenario, c] : counts) {
    all.tests += c.tests, all.failures += c.failures, all.errors += c.errors, all.ms += c.ms;
  }
  const auto timestamp = Timestamp(suite);
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += fmt::format(
      "<testsuites name=\"stampede\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" "
      "time=\"{}\">\n",
      all.tests, all.failures, all.errors, Seconds(all.ms));
  int id = 0;
  for (const std::string& scenario : order) {
    const Counts& c = counts[scenario];
    xml += fmt::format(
        "  <testsuite name=\"{}\" id=\"{}\" package=\"stampede\" tests=\"{}\" failures=\"{}\" "
        "errors=\"{}\" skipped=\"0\" time=\"{}\"{}>\n",
        XmlEscape(scenario), id++, c.tests, c.failures, c.errors, Seconds(c.ms),
        timestamp ? fmt::format(" timestamp=\"{}\"", XmlEscape(*timestamp)) : "");
    xml += "    <properties>\n";
    for (const SuiteSource& source : suite.sources)
      xml += fmt::format("      <property name=\"command\" value=\"{}\"/>\n",
                         XmlEscape(source.command));
    xml += "    </properties>\n";
    xml += bodies[scenario] + "  </testsuite>\n";
  }
  return xml + "</testsuites>\n";
}

}  // namespace stampede::reports
