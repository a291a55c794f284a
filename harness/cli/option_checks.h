// Checks of command-line values, as CLI11 validators with messages that say what is expected,
// and of the rules between flags that CLI11 cannot express.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "core/status.h"

namespace stampede {

// The largest seed: every integer up to 2^53 - 1 survives a trip through JSON tools that
// read numbers as doubles (jq, JavaScript), so a seed in verdict.json stays exact.
constexpr std::uint64_t kMaxSeed = (std::uint64_t{1} << 53) - 1;
// The most attempts --confidence may need (as --repeat's bound).
constexpr std::int64_t kMaxProofAttempts = 1000000;

// A decimal integer from 0 to kMaxSeed, without sign or spaces.
CLI::Validator SeedValidator();
// Seconds: a number from 0.001 to one year.
CLI::Validator SecondsValidator();
// Anything but the empty string.
CLI::Validator NonEmptyValidator();

// A --perturb setting: KEY=VALUE or none (perturb/perturbation.h).
CLI::Validator PerturbValidator();

// The flags' rules between each other for `stampede run`: the seeds of a series' attempts
// (base + attempt - 1) stay within kMaxSeed, and --max-time bounds a series of one scenario.
Status CheckRunFlags(const RunFlags& flags);

// The first word of the command line when it is no subcommand of `app` (argv[1] not an
// option); nullopt otherwise.
std::optional<std::string> UnknownSubcommand(const CLI::App& app, int argc, char** argv);

}  // namespace stampede
