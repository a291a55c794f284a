// What `stampede run` needs for a single run, a series and a suite alike: the reproduce
// command, the base run options, seeds, --set parsing, and the exit code of a run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "run/run.h"
#include "scenario/parameters.h"

namespace stampede {

std::string ShellQuote(const std::string& word);

// "PROGRAM run FILE --set k=v ... --seed S [--targets-dir D] [--allow-remote]" (without a
// seed: no --seed).
std::string ReproduceCommand(const RunFlags& flags, const std::string& scenario_file,
                             const std::vector<std::string>& sets,
                             std::optional<std::uint64_t> seed);

// targets_dir, network policy from the flags; out_dir, seed and progress left to the caller.
RunOptions BaseOptions(const RunFlags& flags);

// LoadScenario, then the --perturb settings over the scenario's "perturb".
Result<Scenario> LoadForRun(const RunFlags& flags, const std::string& file,
                            const Overrides& overrides);

// A random seed below 2^52, so that base + attempt - 1 stays a valid seed (at most 2^53 - 1).
std::uint64_t RandomSeed();

// The live progress line is shown on a terminal without --json.
bool ShowsProgress(const RunFlags& flags);

// Parses every --set; prints each bad one and sets ok to false.
Overrides ParseSets(const std::vector<std::string>& sets, bool& ok);

int ExitCodeFor(const RunReport& report);

// Each failure kind once, in the verdict's order.
std::vector<std::string> FailureKinds(const Verdict& verdict);

// The scenario files the arguments name: files as given, folders as every *.json below them,
// sorted; a missing path is an InvalidInput.
Result<std::vector<std::string>> ScenarioFiles(const std::vector<std::string>& paths);

// Whether any scenario the arguments name declares "isolation": "network" (scenarios that do
// not load say no: the run reports them).
bool WantsNetworkIsolation(const std::vector<std::string>& paths);

}  // namespace stampede
