#include "cli/option_checks.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "checkers/failure_rate.h"
#include "perturb/perturbation.h"

namespace stampede {
namespace {

constexpr double kMaxSeconds = 365.0 * 24 * 3600;

// At most this many characters of a value are quoted back in a message.
std::string Quoted(const std::string& value) {
  constexpr std::size_t kShown = 40;
  return "\"" + (value.size() <= kShown ? value : value.substr(0, kShown) + "...") + "\"";
}

}  // namespace

CLI::Validator SeedValidator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::uint64_t seed = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
            seed > kMaxSeed) {
          return "expected an integer from 0 to " + std::to_string(kMaxSeed) +
                 " (2^53 - 1, the largest that JSON tools keep exact), got " + Quoted(text);
        }
        return {};
      },
      "0..2^53-1", "SEED");
}

CLI::Validator SecondsValidator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        char* end = nullptr;
        const double seconds = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(seconds) ||
            seconds < 0.001 || seconds > kMaxSeconds) {
          return "expected seconds, a number from 0.001 to " +
                 std::to_string(static_cast<long>(kMaxSeconds)) + " (a year), got " + Quoted(text);
        }
        return {};
      },
      "SECONDS", "SECONDS");
}

CLI::Validator NonEmptyValidator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        return text.empty() ? "must not be empty" : std::string();
      },
      "", "NONEMPTY");
}

CLI::Validator PerturbValidator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        Perturbation scratch;
        auto applied = ApplyPerturbSetting(scratch, text);
        return applied.ok() ? std::string() : applied.error().message;
      },
      "", "PERTURB");
}

Status CheckRunFlags(const RunFlags& flags) {
  const bool proving = flags.confidence > 0;
  const bool series = flags.repeat > 1 || flags.until_fail || proving;
  if (proving && IsSuite(flags)) {
    return InvalidInput("--confidence proves one scenario: give a single scenario file");
  }
  if (proving && flags.confidence <= 0.5) {
    return InvalidInput("--confidence must be above 0.5 (e.g. 0.95)");
  }
  if (proving && CleanAttemptsToProve(flags.confidence, flags.below) > kMaxProofAttempts) {
    return InvalidInput("--confidence " + std::to_string(flags.confidence) + " --below " +
                        std::to_string(flags.below) + " needs " +
                        std::to_string(CleanAttemptsToProve(flags.confidence, flags.below)) +
                        " clean attempts, more than " + std::to_string(kMaxProofAttempts) +
                        "; ask for a larger rate or a lower confidence");
  }
  if (flags.max_time_s > 0 && (IsSuite(flags) || !series)) {
    return InvalidInput(
        "--max-time bounds a series of one scenario: give it with --repeat N, --until-fail or "
        "--confidence");
  }
  if (!flags.seed) return {};
  const std::uint64_t attempts = proving ? CleanAttemptsToProve(flags.confidence, flags.below)
                                 : flags.until_fail ? flags.max_runs
                                                    : flags.repeat;
  if (*flags.seed + attempts - 1 > kMaxSeed) {
    return InvalidInput("--seed " + std::to_string(*flags.seed) + ": attempt " +
                        std::to_string(attempts) + " would run with seed " +
                        std::to_string(*flags.seed + attempts - 1) + ", above " +
                        std::to_string(kMaxSeed) + " (2^53 - 1); give a seed of at most " +
                        std::to_string(kMaxSeed - attempts + 1));
  }
  return {};
}

std::optional<std::string> UnknownSubcommand(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return std::nullopt;
  const std::string word = argv[1];
  for (const auto* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (command->check_name(word)) return std::nullopt;
  }
  return word;
}

}  // namespace stampede
