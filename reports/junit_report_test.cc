#include "reports/junit_report.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "reports/suite_fixture.h"

namespace stampede::reports {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// One cell per case the JUnit mapping distinguishes, with text that needs escaping.
Suite MixedSuite(const fs::path& base) {
  const std::string nasty = "expected <seq> 4 & got \"5\"\nline two \x01 done";
  json suite = fixture::Suite({
      fixture::Cell("rpc<&>", json::object(), "pass", "cells/001",
                    {fixture::Attempt("cells/001", 1, "pass"),
                     fixture::Attempt("cells/001", 2, "fail", 1000, 5000, "mismatch", nasty)}),
      fixture::Cell("rpc<&>", {{"bug", "static-seq"}}, "fail", "cells/002",
                    {fixture::Attempt("cells/002", 1, "fail", 1000, 5000, "crash", "SIGSEGV")}),
      fixture::Cell("start-stop", json::object(), "fail", "cells/003",
                    {fixture::Attempt("cells/003", 1, "pass")}),
      fixture::Cell("start-stop", {{"bug", "x"}}, "pass", "cells/004",
                    {fixture::Attempt("cells/004", 1, "error")}),
      fixture::Cell("reload", json::object(), "pass", "cells/005",
                    {fixture::Attempt("cells/005", 1, "aborted")}),
  });
  fixture::WriteSuiteFolder(base, suite);
  return LoadSuite(base).value();
}

class JunitReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("stampede-junit-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    xml_ = JunitXml(MixedSuite(dir_ / "suite"));
  }
  void TearDown() override { fs::remove_all(dir_); }

  // xmllint's exit status validating `text` against reports/junit.xsd.
  int Xmllint(const std::string& text) {
    const fs::path file = dir_ / "junit.xml";
    std::ofstream(file) << text;
    const std::string command = "xmllint --noout --schema " STAMPEDE_SOURCE_DIR
                                "/reports/junit.xsd '" +
                                file.string() + "' 2>" + (dir_ / "xmllint.log").string();
    return std::system(command.c_str());
  }
  bool Has(const std::string& text) const { return xml_.find(text) != std::string::npos; }

  fs::path dir_;
  std::string xml_;
};

TEST_F(JunitReportTest, ValidatesAgainstTheSchema) {
  EXPECT_EQ(Xmllint(xml_), 0) << xml_;
}

TEST_F(JunitReportTest, SchemaRejectsADocumentOfAnotherShape) {
  std::string broken = xml_;
  broken.replace(broken.find("<testcase name="), 15, "<testcase nam=");
  EXPECT_NE(Xmllint(broken), 0) << "a testcase without a name must not validate";
  EXPECT_NE(Xmllint("<testsuites><testcase name=\"x\"/></testsuites>"), 0);
}

TEST_F(JunitReportTest, OneSuitePerScenarioWithCounts) {
  EXPECT_TRUE(Has("<testsuites name=\"stampede\" tests=\"6\" failures=\"2\" errors=\"2\"")) << xml_;
  EXPECT_TRUE(
      Has("<testsuite name=\"rpc&lt;&amp;&gt;\" id=\"0\" package=\"stampede\" tests=\"3\" "
          "failures=\"1\" errors=\"0\" skipped=\"0\" time=\"1.204\" "
          "timestamp=\"2026-11-30T23:31:05\">"))
      << xml_;
  EXPECT_TRUE(Has("<testsuite name=\"start-stop\" id=\"1\""));
  EXPECT_TRUE(Has("<testsuite name=\"reload\" id=\"2\""));
}

TEST_F(JunitReportTest, NamesAttemptsOnlyWhenACellHasSeveral) {
  EXPECT_TRUE(
      Has("<testcase name=\"rpc&lt;&amp;&gt; #1\" classname=\"rpc&lt;&amp;&gt;\" time=\"0.401\">"));
  EXPECT_TRUE(Has("<testcase name=\"rpc&lt;&amp;&gt; #2\""));
  EXPECT_TRUE(Has("<testcase name=\"rpc&lt;&amp;&gt;[bug=static-seq]\" classname"));
}

TEST_F(JunitReportTest, FailureCarriesKindAndEscapedSummary) {
  EXPECT_TRUE(
      Has("<failure message=\"mismatch: expected &lt;seq&gt; 4 &amp; got &quot;5&quot;&#10;"
          "line two \\x01 done\" type=\"mismatch\">"))
      << xml_;
  EXPECT_TRUE(Has("mismatch (server): expected &lt;seq&gt;"));
}

TEST_F(JunitReportTest, ExpectedFailurePassesAndUnexpectedPassFails) {
  const auto expected = xml_.find("<testcase name=\"rpc&lt;&amp;&gt;[bug=static-seq]\"");
  const auto end = xml_.find("</testcase>", expected);
  const std::string expected_case = xml_.substr(expected, end - expected);
  EXPECT_EQ(expected_case.find("<failure"), std::string::npos) << expected_case;
  EXPECT_NE(expected_case.find("expected failure: crash: SIGSEGV"), std::string::npos);
  EXPECT_TRUE(
      Has("<failure message=\"unexpected pass: the cell expects a failure and no attempt failed\" "
          "type=\"unexpected-pass\">"));
}

TEST_F(JunitReportTest, ErrorsAndAbortsAreErrors) {
  EXPECT_TRUE(Has("<error message=\"target binary not found\" type=\"error\">"));
  EXPECT_TRUE(Has("<error message=\"aborted: the run was interrupted\" type=\"aborted\">"));
}

TEST_F(JunitReportTest, SystemOutHasReproduceAndEvidence) {
  EXPECT_TRUE(Has("reproduce: stampede run scenario.json --seed 1\nseed: 18000000000000000001\n"));
  EXPECT_TRUE(Has((dir_ / "suite/cells/001/attempt-001/verdict.json").string() + "\n"));
  EXPECT_TRUE(Has((dir_ / "suite/cells/001/attempt-001/server.stderr").string() + "\n"));
}

}  // namespace
}  // namespace stampede::reports
