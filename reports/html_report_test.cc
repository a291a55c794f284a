#include "reports/html_report.h"

#include <gtest/gtest.h>

#include "reports/suite_fixture.h"

namespace stampede::reports {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The values of every href="..." in `html`.
std::vector<std::string> Hrefs(const std::string& html) {
  std::vector<std::string> hrefs;
  for (auto at = html.find("href=\""); at != std::string::npos; at = html.find("href=\"", at + 1)) {
    const auto start = at + 6;
    hrefs.push_back(html.substr(start, html.find('"', start) - start));
  }
  return hrefs;
}

int Count(const std::string& text, const std::string& what) {
  int count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

class HtmlReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("stampede-html-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    json suite = fixture::Suite({
        fixture::Cell("<script>alert(1)</script>", {{"bug", "x"}}, "pass", "cells/001",
                      {fixture::Attempt("cells/001", 1, "fail", 900, 5000, "mismatch",
                                        "got <5> & \"6\"\nnext")}),
        fixture::Cell(
            "<script>alert(1)</script>", json::object(), "pass", "cells/002",
            {fixture::Attempt("cells/002", 1, "pass"), fixture::Attempt("cells/002", 2, "pass")}),
        fixture::Cell("rpc", {{"bug", "x"}}, "fail", "cells/003",
                      {fixture::Attempt("cells/003", 1, "fail")}),
    });
    fixture::WriteSuiteFolder(dir_ / "suite", suite);
    fs::remove(dir_ / "suite/cells/002/attempt-002/history.jsonl");  // evidence that is missing
    fs::create_directories(dir_ / "out");
    suite_ = LoadSuite(dir_ / "suite").value();
    html_ = HtmlReport(suite_, nullptr, dir_ / "out/report.html");
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  Suite suite_;
  std::string html_;
};

TEST_F(HtmlReportTest, SelfContainedWithoutScriptsOrNetwork) {
  EXPECT_TRUE(html_.starts_with("<!DOCTYPE html>"));
  EXPECT_EQ(Count(html_, "<script"), 0) << "the scenario name is escaped, and there are no scripts";
  EXPECT_NE(html_.find("<tr class=\"scenario\"><th>&lt;script&gt;alert(1)&lt;/script&gt;</th>"),
            std::string::npos);
  EXPECT_NE(
      html_.find("<text class=\"label\" x=\"300\" y=\"54.0\" text-anchor=\"end\">&lt;script&gt;"),
      std::string::npos)
      << "chart labels too";
  EXPECT_EQ(Count(html_, "src="), 0) << "nothing embedded from elsewhere";
  for (const std::string& href : Hrefs(html_)) EXPECT_EQ(href.find(':'), std::string::npos) << href;
  EXPECT_EQ(Count(html_, "<link"), 0);
  EXPECT_EQ(Count(html_, "@import"), 0);
}

TEST_F(HtmlReportTest, MatrixHasAScenarioRowAndAValuesColumnEach) {
  EXPECT_EQ(Count(html_, "<tr class=\"scenario\">"), 2);
  EXPECT_NE(html_.find("<tr><th>scenario</th><th>bug=x</th><th>(default)</th></tr>"),
            std::string::npos);
  EXPECT_NE(
      html_.find("<td class=\"o-fail\" title=\"&lt;script&gt;alert(1)&lt;/script&gt;[bug=x]\">"
                 "<a href=\"#cell-0\">fail</a><br><small>mismatch ×1</small></td>"),
      std::string::npos);
  EXPECT_NE(html_.find("<tr class=\"scenario\"><th>rpc</th><td class=\"o-expected-fail\""),
            std::string::npos);
  EXPECT_NE(html_.find("<td class=\"none\"></td>"), std::string::npos) << "rpc has no default cell";
}

// Bug modes differ per scenario: an aligned grid would be a sparse diagonal, so each scenario
// row lists its own cells, each labelled with its values.
TEST(HtmlMatrixTest, ScenariosWithValuesOfTheirOwnGetARowOfLabelledCells) {
  const auto dir = fs::temp_directory_path() / "stampede-html-ragged";
  fs::remove_all(dir);
  std::vector<json> cells;
  int n = 0;
  for (const char* scenario : {"a", "b", "c"}) {
    for (const std::string& bug :
         std::vector<std::string>{"none", std::string(scenario) + "-race"}) {
      const auto cell_dir = "cells/" + std::to_string(++n);
      cells.push_back(fixture::Cell(scenario, {{"bug", bug}}, bug == "none" ? "pass" : "fail",
                                    cell_dir, {fixture::Attempt(cell_dir, 1, "pass")}));
    }
  }
  cells.push_back(fixture::Cell("real", json::object(), "pass", "cells/7",
                                {fixture::Attempt("cells/7", 1, "pass")}));
  fixture::WriteSuiteFolder(dir / "suite", fixture::Suite(cells));
  const auto html = HtmlReport(LoadSuite(dir / "suite").value(), nullptr, dir / "report.html");
  EXPECT_NE(html.find("<tr><th>scenario</th><th colspan=\"99\">cells</th></tr>"),
            std::string::npos);
  EXPECT_EQ(Count(html, "<td class=\"none\">"), 0);
  EXPECT_NE(html.find("<tr class=\"scenario\"><th>b</th><td class=\"o-pass\" title=\"b[bug=none]\">"
                      "<small>bug=none</small><br>"),
            std::string::npos);
  EXPECT_NE(html.find("<small>bug=b-race</small><br><a href=\"#cell-3\">unexpected-pass</a>"),
            std::string::npos);
  EXPECT_NE(html.find("<th>real</th><td class=\"o-pass\" title=\"real\"><small>(default)</small>"),
            std::string::npos);
  fs::remove_all(dir);
}

TEST_F(HtmlReportTest, CellRowsCarryTheFirstFailureEscaped) {
  EXPECT_EQ(Count(html_, "<tr class=\"cell "), 3);
  EXPECT_NE(html_.find("<pre>#1 mismatch: got &lt;5&gt; &amp; &quot;6&quot;\nnext</pre>"),
            std::string::npos);
}

TEST_F(HtmlReportTest, LinksAreRelativeAndOnlyToFilesThatExist) {
  EXPECT_NE(html_.find("<a href=\"../suite/cells/001/attempt-001/\">run folder</a>"),
            std::string::npos);
  EXPECT_NE(html_.find("<a href=\"../suite/cells/001/attempt-001/verdict.json\">verdict.json</a>"),
            std::string::npos);
  EXPECT_NE(
      html_.find("<a href=\"../suite/cells/001/attempt-001/server.stderr\">server.stderr</a>"),
      std::string::npos);
  EXPECT_NE(html_.find("../suite/cells/002/attempt-001/history.jsonl"), std::string::npos);
  EXPECT_EQ(html_.find("../suite/cells/002/attempt-002/history.jsonl"), std::string::npos);
  EXPECT_EQ(Count(html_, ">verdict.json</a>"), 4) << "once per attempt";
  int files = 0;
  for (const std::string& href : Hrefs(html_)) {
    if (href.starts_with("#")) continue;
    EXPECT_TRUE(fs::exists(dir_ / "out" / href)) << href;
    ++files;
  }
  EXPECT_EQ(files, 4 * 4 - 1 + 3)
      << "per attempt: folder, verdict.json, history.jsonl, server.stderr; cell folders";
}

TEST_F(HtmlReportTest, ChartsAndBaselineSection) {
  EXPECT_EQ(Count(html_, "<svg "), 3) << "no stop chart without stop_ms";
  EXPECT_EQ(html_.find("Against the baseline"), std::string::npos);
  const Comparison comparison = CompareSuites(suite_, suite_);
  const std::string with = HtmlReport(suite_, &comparison, dir_ / "out/report.html");
  EXPECT_NE(with.find("<h2 id=\"baseline\">Against the baseline</h2>"), std::string::npos);
  EXPECT_EQ(Count(with, "<table class=\"baseline\">"), 1);
  EXPECT_NE(with.find("<tr><td>rpc[bug=x]</td>"), std::string::npos);
}

}  // namespace
}  // namespace stampede::reports
