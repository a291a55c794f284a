// stampede: run concurrency-stress scenarios against servers and clients and judge them.
#include <curl/curl.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace {

// Bursts of thousands of connections need descriptors; take what the hard limit allows.
void RaiseDescriptorLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"stampede: make concurrency bugs show up on demand and report them as verdicts"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "stampede 0.1.0");

  stampede::RunFlags run;
  run.program = argv[0];
  auto* run_cmd = app.add_subcommand("run", "Run a scenario once and write its verdict");
  run_cmd->add_option("scenario", run.scenario_file, "Scenario JSON file")->required();
  run_cmd->add_option("--set", run.sets, "Override a parameter: key=value (repeatable)");
  run_cmd->add_option("--out", run.out_dir, "Run folder (default runs/<scenario>/<timestamp>)");
  run_cmd->add_option("--seed", run.seed, "Seed for the run's randomised choices");
  run_cmd->add_option("--targets-dir", run.targets_dir,
                      "Folder of the sample targets for {targets} (default: beside stampede)");
  run_cmd->add_flag("--json", run.json, "Print the verdict JSON instead of a summary");
  run_cmd->add_flag("--allow-remote", run.allow_remote, "Allow traffic to non-loopback addresses");
  run_cmd
      ->add_option("--repeat", run.repeat,
                   "Run N attempts, each with its own seed (--seed, --seed + 1, ...) and folder "
                   "attempt-NNN; summary.json aggregates them")
      ->check(CLI::Range(1, 1000000));
  run_cmd->add_flag("--until-fail", run.until_fail,
                    "Run attempts until one fails (at most --max-runs, --max-time)");
  run_cmd->add_option("--max-runs", run.max_runs, "Most attempts --until-fail makes (default 1000)")
      ->check(CLI::Range(1, 1000000));
  run_cmd
      ->add_option("--max-time", run.max_time_s,
                   "Start no attempt after this many seconds (--repeat, --until-fail)")
      ->check(CLI::PositiveNumber);

  std::string validate_file;
  std::vector<std::string> validate_sets;
  auto* validate_cmd = app.add_subcommand("validate", "Check a scenario file and exit");
  validate_cmd->add_option("scenario", validate_file, "Scenario JSON file")->required();
  validate_cmd->add_option("--set", validate_sets, "Override a parameter: key=value");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : stampede::kExitUsage;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  RaiseDescriptorLimit();
  int code = stampede::kExitUsage;
  if (*run_cmd) code = stampede::RunCommand(run);
  if (*validate_cmd) code = stampede::ValidateCommand(validate_file, validate_sets);
  curl_global_cleanup();
  return code;
}
