// The CLI's subcommands. Each returns the process exit code:
// 0 every verdict passed, 1 a verdict failed, 2 bad usage or invalid scenario,
// 3 the harness could not run, 130 interrupted.
#pragma once

#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace stampede {

constexpr int kExitPass = 0;
constexpr int kExitFail = 1;
constexpr int kExitUsage = 2;
constexpr int kExitEnvironment = 3;
constexpr int kExitInterrupted = 130;

struct RunFlags {
  std::string program;                      // argv[0], for the reproduce command
  std::string scenario_file;                // the first of scenario_files
  std::vector<std::string> scenario_files;  // files and folders; several make a suite
  std::vector<std::string> sets;
  std::vector<std::string> perturb;  // --perturb settings, applied in order over the scenario's
  std::string out_dir;
  std::string targets_dir;
  std::optional<std::uint64_t> seed;  // at most kMaxSeed (option_checks.h)
  bool json = false;
  bool allow_remote = false;
  bool keep_cores = false;
  bool isolate_network = false;  // --isolate-network, or a scenario's "isolation": "network"
  int repeat = 1;                // attempts; more than 1 makes a series
  bool until_fail = false;       // a series that ends at the first failing attempt
  int max_runs = 1000;           // bound of an --until-fail series
  double max_time_s = 0;         // no attempt starts later than this into a series; 0: no bound
  // --confidence C --below P (both or neither): a series that runs until the failure rate is
  // shown below P at confidence C (CleanAttemptsToProve attempts) or an attempt fails.
  double confidence = 0;
  double below = 0;
  // --known SUMMARY (with --until-fail): failures with a signature listed in that earlier
  // summary.json do not end the series; it stops at the first failure not seen before.
  std::string known_summary;
  // Any of these (or several scenario files, or a folder) makes the run a suite.
  std::vector<std::string> matrix;       // "key=v1,v2" or "key=*"
  std::vector<std::string> expect_fail;  // "key=value", "key!=value" or "*"
  std::string shard;                     // "K/N"
  bool suite = false;                    // a suite folder even for one scenario
};

// `stampede shrink FILE`: the run flags that apply (sets, perturb, out, seed, targets-dir,
// max-time, json, allow-remote) and how to shrink.
struct ShrinkFlags {
  RunFlags run;
  std::vector<std::string> params;  // --param: the parameters to shrink; empty: the load counts
  int attempts = 3;                 // a trial reproduces when the failure shows in `need` of
  int need = 1;                     // `attempts` attempts
};

struct ReportFlags {
  std::vector<std::string> suites;
  std::vector<std::string> baseline;
  std::string html, markdown, junit;  // empty: not written (none at all: report.html and
                                      // report.md in the first suite folder)
};

int RunCommand(const RunFlags& flags);
// A suite: every scenario of the files and folders, crossed with the matrix (suite_command.cc).
int SuiteCommand(const RunFlags& flags, const std::stop_token& abort);
// True when the flags ask for a suite rather than one scenario.
bool IsSuite(const RunFlags& flags);
int ReportCommand(const ReportFlags& flags);
// Exit code: 0 shrunk (the smallest values found still fail), 1 the scenario did not fail at its
// starting values, 2 bad usage, 3 an attempt could not run, 130 interrupted.
int ShrinkCommand(const ShrinkFlags& flags);
// Loads the scenario with the overrides and checks its addresses as a run would (loopback
// only unless `allow_remote`).
int ValidateCommand(const std::string& scenario_file, const std::vector<std::string>& sets,
                    bool allow_remote);

}  // namespace stampede
