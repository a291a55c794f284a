#include "reports/markdown_report.h"

#include <gtest/gtest.h>

#include <sstream>

#include "reports/suite_fixture.h"

namespace stampede::reports {
namespace {

using nlohmann::json;

Suite Parse(const json& document) {
  return ParseSuite(document, "/s", "s").value();
}

Suite TwoCells(double throughput) {
  return Parse(fixture::Suite({
      fixture::Cell("split|reply", {{"bug", "x"}}, "pass", "cells/001",
                    {fixture::Attempt("cells/001", 1, "fail", throughput, 5000, "mismatch",
                                      "got <5>\nwanted | 4")}),
      fixture::Cell("rpc", json::object(), "pass", "cells/002",
                    {fixture::Attempt("cells/002", 1, "pass", throughput, 2000),
                     fixture::Attempt("cells/002", 2, "pass", throughput * 3, 4000)}),
  }));
}

// Rows of the table that starts with `heading`, split into cells (escaped pipes kept).
std::vector<std::string> TableRows(const std::string& md, const std::string& heading) {
  std::istringstream in(md.substr(md.find(heading)));
  std::vector<std::string> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("|"))
      rows.push_back(line);
    else if (!rows.empty())
      break;
  }
  return rows;
}

// Unescaped pipes in a row: column separators.
int Separators(const std::string& row) {
  int count = 0;
  for (std::size_t i = 0; i < row.size(); ++i)
    count += row[i] == '|' && (i == 0 || row[i - 1] != '\\');
  return count;
}

TEST(MarkdownReportTest, VerdictTableHasOneRowPerCellAndKeepsItsColumns) {
  const std::string md = MarkdownReport(TwoCells(1000), nullptr);
  const auto rows = TableRows(md, "### Verdicts");
  ASSERT_EQ(rows.size(), 4u) << md;  // header, rule, two cells
  for (const std::string& row : rows) EXPECT_EQ(Separators(row), 8) << row;
  EXPECT_EQ(rows[2],
            "| split\\|reply | split\\|reply\\[bug=x\\] | pass | ❌ fail | 1 fail | mismatch ×1 | "
            "\\#1 mismatch: got &lt;5&gt;<br>wanted \\| 4 |");
  EXPECT_EQ(rows[3], "| rpc | rpc | pass | ✅ pass | 2 pass |  |  |");
  EXPECT_NE(md.find("## stampede: ❌ 1 of 2 cells as expected"), std::string::npos);
}

TEST(MarkdownReportTest, FiguresAreMediansWithRanges) {
  const auto rows = TableRows(MarkdownReport(TwoCells(1000), nullptr), "### Key figures");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[3],
            "| rpc | 2000 (1000–3000) | 750 µs | 1.50 ms | 3.00 ms | 4.50 ms | 0% (0–65.8%) | – |");
}

TEST(MarkdownReportTest, BaselineSectionOnlyWithABaseline) {
  const Suite current = TwoCells(1000);
  EXPECT_EQ(MarkdownReport(current, nullptr).find("Against the baseline"), std::string::npos);
  const Comparison comparison = CompareSuites(TwoCells(2000), current);
  const std::string md = MarkdownReport(current, &comparison);
  const auto rows = TableRows(md, "### Against the baseline");
  ASSERT_EQ(rows.size(), 4u) << md;
  EXPECT_EQ(rows[3],
            "| rpc | pass | 4000 → 2000 (-50.0%, p=0.667) | 3.00 ms → 3.00 ms (+0.0%, p=1) |")
      << "two attempts a side: never significant";
}

}  // namespace
}  // namespace stampede::reports
