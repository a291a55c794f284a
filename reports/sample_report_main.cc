// stampede-sample-report OUT_DIR: writes two shards of a fake suite and a baseline (suite.json
// plus evidence files) under OUT_DIR, then the reports of them to OUT_DIR/out/ (report.html,
// report.md, junit.xml) through RunReport, as `stampede report` would. The input of the ctest
// checks that need files on disk: JUnit against junit.xsd, suite.json against its JSON Schema,
// the HTML page in headless Chromium. Five cells, one of them split over both shards.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "reports/report_command.h"
#include "reports/suite_fixture.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using stampede::reports::fixture::Attempt;
using stampede::reports::fixture::Cell;
using stampede::reports::fixture::Suite;

std::vector<json> Passes(const std::string& dir, int first, int count, double throughput,
                         double p99) {
  std::vector<json> attempts;
  for (int i = first; i < first + count; ++i)
    attempts.push_back(Attempt(dir, i, "pass", throughput * (1 + 0.01 * i), p99 * (1 + 0.02 * i)));
  return attempts;
}

json WithStops(json attempt, std::vector<double> stops) {
  attempt["stop_ms"] = stops;
  return attempt;
}

void Write(const fs::path& folder, const json& suite) {
  stampede::reports::fixture::WriteSuiteFolder(folder, suite);
  std::ofstream(folder / "cells/002/attempt-001/backtraces-server.txt")
      << "Thread 1 (LWP 42):\n#0 poll ()\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: stampede-sample-report OUT_DIR\n");
    return 2;
  }
  const fs::path root = argv[1];
  fs::remove_all(root);
  const json shard_1 = Suite(
      {Cell("pingpong <proxy> | \"quoted\"", {{"bug", "none"}}, "pass", "cells/001",
            Passes("cells/001", 1, 4, 5000, 3000)),
       Cell("start-stop", {{"bug", "shutdown-race"}}, "fail", "cells/002",
            {WithStops(Attempt("cells/002", 1, "fail", 0, 0, "hang",
                               "phase shutdown:\n<server> still alive after 5000 ms | stuck"),
                       {5000, 5001}),
             WithStops(Attempt("cells/002", 2, "pass", 300, 900), {12, 15})}),
       Cell("rpc", {{"bug", "none"}}, "pass", "cells/003", Passes("cells/003", 1, 2, 8000, 1500))},
      {{"index", 1}, {"count", 2}});
  json error_attempt = Attempt("cells/002", 1, "error");
  const json shard_2 = Suite({Cell("rpc", {{"bug", "none"}}, "pass", "cells/001",
                                   {Attempt("cells/001", 3, "fail", 7000, 2500, "mismatch",
                                            "expected seq 4, got 5 \x01 & <more>"),
                                    Passes("cells/001", 4, 1, 8000, 1500)[0]}),
                              Cell("reload-storm", {{"bug", "accept-once"}}, "fail", "cells/002",
                                   {Attempt("cells/002", 1, "pass", 200, 40000)}),
                              Cell("client-parallel", json::object(), "pass", "cells/003",
                                   {Attempt("cells/003", 1, "error")})},
                             {{"index", 2}, {"count", 2}});
  const json baseline = Suite(
      {Cell("pingpong <proxy> | \"quoted\"", {{"bug", "none"}}, "pass", "cells/001",
            Passes("cells/001", 1, 4, 7000, 2000)),
       Cell("rpc", {{"bug", "none"}}, "pass", "cells/002", Passes("cells/002", 1, 4, 8000, 1500)),
       Cell("gone", json::object(), "pass", "cells/003", Passes("cells/003", 1, 1, 100, 100))});
  Write(root / "shard-1", shard_1);
  Write(root / "shard-2", shard_2);
  Write(root / "baseline", baseline);
  auto result = stampede::reports::RunReport({.suites = {root / "shard-1", root / "shard-2"},
                                              .baseline = {root / "baseline"},
                                              .html = root / "out/report.html",
                                              .markdown = root / "out/report.md",
                                              .junit = root / "out/junit.xml"});
  if (!result.ok()) {
    std::fprintf(stderr, "stampede-sample-report: %s\n", result.error().message.c_str());
    return 1;
  }
  for (const fs::path& path : result.value().written) std::printf("%s\n", path.c_str());
  return 0;
}
