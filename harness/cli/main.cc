// stampede: run concurrency-stress scenarios against servers and clients and judge them.
#include <curl/curl.h>
#include <stdio.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/option_checks.h"
#include "cli/run_support.h"
#include "supervisor/containment.h"

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
  auto* run_cmd = app.add_subcommand(
      "run", "Run a scenario and write its verdict; several scenarios or a matrix: a suite");
  run_cmd
      ->add_option("scenarios", run.scenario_files,
                   "Scenario JSON files, or folders of them (several, a folder, --matrix, "
                   "--expect-fail or --shard make a suite: suite.json, report.html, report.md)")
      ->required()
      ->check(stampede::NonEmptyValidator());
  run_cmd->add_option("--set", run.sets, "Override a parameter: key=value (repeatable)")
      ->allow_extra_args(false);
  run_cmd
      ->add_option("--perturb", run.perturb,
                   "Schedule perturbation over the scenario's \"perturb\": cpus=N, nice=N, "
                   "cpu_hogs=N, memory_hogs=N, hog_duty_percent=P, freezes_per_s=N, "
                   "freeze_ms=N, cpu_quota_percent=P, targets=A,B, or none (repeatable)")
      ->allow_extra_args(false)
      ->check(stampede::PerturbValidator());
  run_cmd->add_option("--out", run.out_dir, "Run folder (default runs/<scenario>/<timestamp>)")
      ->check(stampede::NonEmptyValidator());
  run_cmd->add_option("--seed", run.seed, "Seed for the run's randomised choices (0 to 2^53-1)")
      ->check(stampede::SeedValidator());
  run_cmd
      ->add_option("--targets-dir", run.targets_dir,
                   "Folder of the sample targets for {targets} (default: beside stampede)")
      ->check(stampede::NonEmptyValidator());
  run_cmd->add_flag("--json", run.json, "Print the verdict JSON instead of a summary");
  run_cmd->add_flag("--allow-remote", run.allow_remote, "Allow traffic to non-loopback addresses");
  run_cmd->add_flag("--keep-cores", run.keep_cores,
                    "Keep a crashed target's core file after its backtrace was taken");
  run_cmd->add_flag("--isolate-network", run.isolate_network,
                    "Run in a network namespace of its own with only loopback (also when a "
                    "scenario says \"isolation\": \"network\")");
  auto* repeat =
      run_cmd
          ->add_option("--repeat", run.repeat,
                       "Run N attempts, each with its own seed (--seed, --seed + 1, ...) and "
                       "folder attempt-NNN; summary.json aggregates them")
          ->check(CLI::Range(1, 1000000));
  auto* until_fail = run_cmd
                         ->add_flag("--until-fail", run.until_fail,
                                    "Run attempts until one fails (at most --max-runs, --max-time)")
                         ->excludes(repeat);
  run_cmd
      ->add_option("--known", run.known_summary,
                   "An earlier summary.json: --until-fail goes on past failures with a "
                   "signature listed there and stops at the first new one")
      ->check(CLI::ExistingFile)
      ->needs(until_fail);
  run_cmd->add_option("--max-runs", run.max_runs, "Most attempts --until-fail makes (default 1000)")
      ->check(CLI::Range(1, 1000000))
      ->needs(until_fail);
  auto* confidence =
      run_cmd
          ->add_option("--confidence", run.confidence,
                       "With --below P: run attempts until the failure rate is below P at this "
                       "confidence (one-sided Wilson bound), or until one fails")
          ->check(CLI::Range(0.5, 0.999999))
          ->excludes(repeat)
          ->excludes(until_fail);
  run_cmd
      ->add_option("--below", run.below,
                   "The failure rate --confidence is to prove, e.g. 0.01 for 1% (both options "
                   "together)")
      ->check(CLI::Range(0.000001, 0.999999))
      ->needs(confidence);
  confidence->needs("--below");
  run_cmd
      ->add_option("--max-time", run.max_time_s,
                   "Start no attempt after this many seconds (--repeat, --until-fail)")
      ->check(stampede::SecondsValidator());

  run_cmd
      ->add_option("--matrix", run.matrix,
                   "Suite axis key=v1,v2,... (repeatable: the cartesian product); key=* takes "
                   "the parameter's choices")
      ->allow_extra_args(false);
  run_cmd
      ->add_option("--expect-fail", run.expect_fail,
                   "Suite cells that must fail: key=value, key!=value, or * for all "
                   "(repeatable; a bug mode that passes is then a failure)")
      ->allow_extra_args(false);
  run_cmd->add_option("--shard", run.shard, "Run only slice K/N of the suite's cells")
      ->check(stampede::NonEmptyValidator());
  run_cmd->add_flag("--suite", run.suite,
                    "Write a suite folder (suite.json, report.html) even for one scenario, e.g. "
                    "as a --baseline for stampede report");
  run_cmd->callback([&run] {
    if (auto checked = stampede::CheckRunFlags(run); !checked.ok()) {
      throw CLI::ValidationError(checked.error().message);
    }
  });

  stampede::ReportFlags report;
  auto* report_cmd = app.add_subcommand(
      "report", "Merge suite folders into an HTML page, a Markdown summary and JUnit XML");
  report_cmd->add_option("suites", report.suites, "Suite folders (or suite.json files)")
      ->required()
      ->check(stampede::NonEmptyValidator());
  report_cmd->add_option("--html", report.html, "Write the HTML report here")
      ->check(stampede::NonEmptyValidator());
  report_cmd->add_option("--markdown", report.markdown, "Write the Markdown summary here")
      ->check(stampede::NonEmptyValidator());
  report_cmd->add_option("--junit", report.junit, "Write JUnit XML here")
      ->check(stampede::NonEmptyValidator());
  report_cmd
      ->add_option("--baseline", report.baseline,
                   "Suite folder to compare against (repeatable: shards)")
      ->allow_extra_args(false);

  stampede::ShrinkFlags shrink;
  shrink.run.program = argv[0];
  auto* shrink_cmd = app.add_subcommand(
      "shrink",
      "Bisect a failing scenario's load parameters down to the smallest values at which the "
      "same failure (signature) still shows; prints them and the command to reproduce");
  shrink_cmd->add_option("scenario", shrink.run.scenario_file, "Scenario JSON file")
      ->required()
      ->check(stampede::NonEmptyValidator());
  shrink_cmd->add_option("--set", shrink.run.sets, "Override a parameter: key=value (repeatable)")
      ->allow_extra_args(false);
  shrink_cmd
      ->add_option("--param", shrink.params,
                   "A parameter to shrink (repeatable; default: every integer parameter of at "
                   "least 2 without choices, except *_ms and nice)")
      ->allow_extra_args(false);
  shrink_cmd
      ->add_option("--attempts", shrink.attempts,
                   "Attempts per trial, and to find the failure at the start (default 3)")
      ->check(CLI::Range(1, 1000));
  shrink_cmd
      ->add_option("--need", shrink.need,
                   "A trial reproduces when the failure shows in this many of its attempts "
                   "(default 1)")
      ->check(CLI::Range(1, 1000));
  shrink_cmd->add_option("--perturb", shrink.run.perturb, "As for run (repeatable)")
      ->allow_extra_args(false)
      ->check(stampede::PerturbValidator());
  shrink_cmd->add_option("--out", shrink.run.out_dir, "Folder of the attempts and shrink.json")
      ->check(stampede::NonEmptyValidator());
  shrink_cmd->add_option("--seed", shrink.run.seed, "Seed of the first attempt (then +1 each)")
      ->check(stampede::SeedValidator());
  shrink_cmd
      ->add_option("--max-time", shrink.run.max_time_s,
                   "Start no trial after this many seconds (keeps the smallest found)")
      ->check(stampede::SecondsValidator());
  shrink_cmd
      ->add_option("--targets-dir", shrink.run.targets_dir,
                   "Folder of the sample targets for {targets} (default: beside stampede)")
      ->check(stampede::NonEmptyValidator());
  shrink_cmd->add_flag("--json", shrink.run.json, "Print shrink.json instead of lines");
  shrink_cmd->add_flag("--allow-remote", shrink.run.allow_remote,
                       "Allow traffic to non-loopback addresses");
  shrink_cmd->callback([&shrink] {
    if (shrink.need > shrink.attempts) {
      throw CLI::ValidationError("--need " + std::to_string(shrink.need) +
                                 " is more than --attempts " + std::to_string(shrink.attempts));
    }
  });

  std::string validate_file;
  std::vector<std::string> validate_sets;
  bool validate_allow_remote = false;
  auto* validate_cmd = app.add_subcommand("validate", "Check a scenario file and exit");
  validate_cmd->add_option("scenario", validate_file, "Scenario JSON file")
      ->required()
      ->check(stampede::NonEmptyValidator());
  validate_cmd->add_option("--set", validate_sets, "Override a parameter: key=value")
      ->allow_extra_args(false);
  validate_cmd->add_flag("--allow-remote", validate_allow_remote,
                         "Accept non-loopback addresses, as stampede run --allow-remote does");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (auto unknown = stampede::UnknownSubcommand(app, argc, argv)) {
      std::cerr << "stampede: unknown command \"" << *unknown
                << "\" (commands: run, shrink, validate, report; see --help)\n";
      return stampede::kExitUsage;
    }
    int code = app.exit(e);
    return code == 0 ? 0 : stampede::kExitUsage;
  }
  // Before any thread or child exists: everything a run starts lives in the container.
  if (*shrink_cmd) shrink.run.scenario_files = {shrink.run.scenario_file};
  stampede::RunFlags* runs = *run_cmd ? &run : *shrink_cmd ? &shrink.run : nullptr;
  if (runs != nullptr) {
    runs->isolate_network =
        runs->isolate_network || stampede::WantsNetworkIsolation(runs->scenario_files);
    if (runs->isolate_network) {
      if (auto isolated = stampede::IsolateNetwork(); !isolated.ok()) {
        std::fprintf(stderr, "stampede: --isolate-network: %s\n", isolated.error().message.c_str());
        return stampede::kExitEnvironment;
      }
    }
    stampede::EnterContainment();
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  RaiseDescriptorLimit();
  int code = stampede::kExitUsage;
  if (*run_cmd) {
    run.scenario_file = run.scenario_files.front();
    code = stampede::RunCommand(run);
  }
  if (*shrink_cmd) code = stampede::ShrinkCommand(shrink);
  if (*report_cmd) code = stampede::ReportCommand(report);
  if (*validate_cmd) {
    code = stampede::ValidateCommand(validate_file, validate_sets, validate_allow_remote);
  }
  curl_global_cleanup();
  return code;
}
