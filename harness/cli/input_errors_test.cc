// Bad command lines and hostile scenario files at the CLI: each exits 2 (bad usage) with one
// clear first line on stderr, and nothing runs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli/cli_test_support.h"

namespace stampede {
namespace {

using namespace cli_test;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kLab = ScenarioPath("lab/parallel-requests.json");

class InputErrorsTest : public CliTest {
 protected:
  // Runs `stampede ARGS`, expects exit code 2 and returns the first line of stderr.
  std::string UsageError(const std::string& args) {
    auto err = dir_ / "stderr";
    auto result = Stampede(args, err.string());
    EXPECT_EQ(result.exit_code, 2) << args << "\n" << ReadText(err);
    auto text = ReadText(err);
    return text.substr(0, text.find('\n'));
  }
  std::string Write(const std::string& name, const std::string& text) {
    auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }
  std::string Out() const { return " --out " + (dir_ / "run").string(); }
};

TEST_F(InputErrorsTest, SeedsOutsideZeroToTwoToThe53AreRefused) {
  for (const char* seed : {"-1", "99999999999999999999999", "9007199254740992", "abc", "1.5", ""}) {
    EXPECT_THAT(UsageError("run " + kLab + " --seed '" + seed + "'" + Out()),
                StartsWith("--seed: expected an integer from 0 to 9007199254740991"))
        << seed;
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "run"));
}

TEST_F(InputErrorsTest, TheLargestSeedIsAcceptedButASeriesMustNotPassIt) {
  // Accepted: the run stops at the next mistake, the unknown parameter.
  EXPECT_THAT(UsageError("run " + kLab + " --seed 9007199254740991 --set nosuch=1" + Out()),
              HasSubstr("the scenario has no parameter \"nosuch\""));
  EXPECT_THAT(UsageError("run " + kLab + " --seed 9007199254740991 --repeat 2" + Out()),
              HasSubstr("attempt 2 would run with seed 9007199254740992, above 9007199254740991"));
}

TEST_F(InputErrorsTest, SeriesFlagsMustFitTogether) {
  EXPECT_EQ(UsageError("run " + kLab + " --repeat 2 --until-fail" + Out()),
            "--repeat excludes --until-fail");
  EXPECT_EQ(UsageError("run " + kLab + " --max-runs 3" + Out()),
            "--max-runs requires --until-fail");
  EXPECT_THAT(UsageError("run " + kLab + " --max-time 5" + Out()),
              HasSubstr("--max-time bounds a series of one scenario"));
  EXPECT_EQ(UsageError("run " + kLab + " --max-time -1 --repeat 2" + Out()),
            "--max-time: expected seconds, a number from 0.001 to 31536000 (a year), got \"-1\"");
  EXPECT_THAT(UsageError("run " + kLab + " --max-time nan --repeat 2" + Out()),
              StartsWith("--max-time: expected seconds"));
  EXPECT_THAT(UsageError("run " + kLab + " --confidence 0.95" + Out()),
              HasSubstr("--confidence requires --below"));
  EXPECT_THAT(UsageError("run " + kLab + " --below 0.01" + Out()),
              HasSubstr("--below requires --confidence"));
  EXPECT_THAT(UsageError("run " + kLab + " --confidence 0.95 --below 0.01 --repeat 3" + Out()),
              HasSubstr("excludes"));
  EXPECT_THAT(UsageError("run " + kLab + " --confidence 1.5 --below 0.01" + Out()),
              HasSubstr("--confidence"));
  EXPECT_THAT(UsageError("run " + kLab + " --confidence 0.999999 --below 0.000001" + Out()),
              HasSubstr("clean attempts, more than 1000000"));
}

TEST_F(InputErrorsTest, EmptyPathsAreRefused) {
  EXPECT_EQ(UsageError("run " + kLab + " --out ''"), "--out: must not be empty");
  EXPECT_THAT(UsageError("validate ''"), HasSubstr("must not be empty"));
  EXPECT_THAT(UsageError("run " + kLab + " --targets-dir ''" + Out()), HasSubstr("must not be"));
}

TEST_F(InputErrorsTest, BadPerturbSettingsAreNamed) {
  EXPECT_THAT(UsageError("run " + kLab + " --perturb cpus=-1" + Out()),
              HasSubstr("--perturb cpus=-1: must be an integer from 0 to"));
  EXPECT_THAT(UsageError("run " + kLab + " --perturb speed=2" + Out()),
              HasSubstr("--perturb speed=2: unknown key"));
  EXPECT_THAT(UsageError("run " + kLab + " --perturb targets=nosuch" + Out()), HasSubstr("nosuch"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "run"));
}

TEST_F(InputErrorsTest, AnUnknownCommandIsNamed) {
  EXPECT_EQ(UsageError("frob " + kLab),
            "stampede: unknown command \"frob\" (commands: run, shrink, validate, report; see "
            "--help)");
}

TEST_F(InputErrorsTest, AMissingScenarioNamesPathAndReason) {
  EXPECT_EQ(UsageError("validate /nonexistent/s.json"),
            "cannot read \"/nonexistent/s.json\": No such file or directory");
}

TEST_F(InputErrorsTest, ADirectoryIsNoScenarioForValidate) {
  EXPECT_EQ(UsageError("validate " + dir_.string()),
            dir_.string() + " is a directory, not a scenario file");
}

TEST_F(InputErrorsTest, FilesThatAreNoScenario) {
  EXPECT_THAT(UsageError("validate " + Write("empty.json", "")),
              HasSubstr("empty.json:1:1: invalid JSON: the text is empty"));
  EXPECT_THAT(UsageError("validate " + Write("latin1.json", "{\"name\": \"caf\xe9\"}")),
              HasSubstr("latin1.json:1:14: not UTF-8 text: byte 0xE9"));
  EXPECT_THAT(UsageError("validate " + Write("array.json", "[1, 2]")),
              HasSubstr("array.json:1:1: at /: expected an object, got an array"));
  EXPECT_THAT(UsageError("validate " + Write("number.json", "42")),
              HasSubstr("at /: expected an object, got the number 42"));
  auto big = Write("big.json", "{}");
  std::filesystem::resize_file(big, 100 * 1024 * 1024);
  EXPECT_EQ(UsageError("validate " + big),
            big + ": 100 MiB (104857600 bytes), larger than the 1 MiB a scenario file may have");
}

TEST_F(InputErrorsTest, DeepNestingIsRefusedCheaply) {
  auto file = Write("deep.json", std::string(100000, '['));
  EXPECT_EQ(UsageError("validate " + file),
            file +
                ":1:65: nested too deeply: depth 65 here, more than the 64 levels of arrays "
                "and objects allowed");
}

TEST_F(InputErrorsTest, ADuplicateKeyNamesBothPlaces) {
  auto text = ReadText(kLab);
  auto at = text.rfind("\n}");
  text.insert(at, ",\n  \"workload\": {}");
  auto file = Write("dup.json", text);
  EXPECT_THAT(UsageError("validate " + file),
              ::testing::MatchesRegex(".*dup\\.json:[0-9]+:3: at /: duplicate key \"workload\", "
                                      "the first is at .*dup\\.json:[0-9]+:3"));
}

TEST_F(InputErrorsTest, ValidateAppliesTheNetworkRuleOfRun) {
  auto text = ReadText(kLab);
  auto at = text.find("http://127.0.0.1:");
  text.replace(at, 17, "http://192.0.2.1:");
  auto file = Write("remote.json", text);
  EXPECT_EQ(UsageError("validate " + file),
            file +
                ": refusing to send traffic to 192.0.2.1: stampede only targets loopback "
                "addresses (pass --allow-remote to override)");
  EXPECT_EQ(Stampede("validate --allow-remote " + file).exit_code, 0);
}

TEST_F(InputErrorsTest, BadOverridesAndSuiteFlags) {
  EXPECT_THAT(UsageError("validate " + kLab + " --set bug"), HasSubstr("--set expects key=value"));
  EXPECT_THAT(UsageError("validate " + kLab + " --set nosuch=1"),
              HasSubstr("no parameter \"nosuch\""));
  EXPECT_THAT(UsageError("run " + kLab + " --matrix bug" + Out()),
              HasSubstr("--matrix \"bug\": give key=v1,v2,... or key=*"));
  for (const char* shard : {"0/3", "4/3", "a/b", "1/0", "1/2/3"}) {
    EXPECT_THAT(UsageError("run " + kLab + " --shard " + shard + Out()),
                HasSubstr("give K/N with 1 <= K <= N"))
        << shard;
  }
}

}  // namespace
}  // namespace stampede
