// The CLI's subcommands. Each returns the process exit code:
// 0 every verdict passed, 1 a verdict failed, 2 bad usage or invalid scenario,
// 3 the harness could not run, 130 interrupted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stampede {

constexpr int kExitPass = 0;
constexpr int kExitFail = 1;
constexpr int kExitUsage = 2;
constexpr int kExitEnvironment = 3;
constexpr int kExitInterrupted = 130;

struct RunFlags {
  std::string program;  // argv[0], for the reproduce command
  std::string scenario_file;
  std::vector<std::string> sets;
  std::string out_dir;
  std::string targets_dir;
  std::optional<std::uint64_t> seed;
  bool json = false;
  bool allow_remote = false;
  int repeat = 1;           // attempts; more than 1 makes a series
  bool until_fail = false;  // a series that ends at the first failing attempt
  int max_runs = 1000;      // bound of an --until-fail series
  double max_time_s = 0;    // no attempt starts later than this into a series; 0: no bound
};

int RunCommand(const RunFlags& flags);
int ValidateCommand(const std::string& scenario_file, const std::vector<std::string>& sets);

}  // namespace stampede
