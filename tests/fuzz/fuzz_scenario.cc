// Fuzzes the scenario loader from in-memory text: JsonSource::Parse (harness/scenario/
// json_source.h) with the location of every value, and ParseScenario (scenario.h), which
// validates the document and applies --set overrides, as `stampede run` and `validate` do.
//
// Input: optional override lines first, each "@key=value\n" (the text of one --set), then
// the scenario's JSON text. File templates named in the scenario are looked up under a
// folder that does not exist, so relative names are never read.
#include <string>
#include <string_view>
#include <utility>

#include "fuzz_check.h"
#include "scenario/json_source.h"
#include "scenario/parameters.h"
#include "scenario/scenario.h"

namespace {

using stampede::ErrorKind;
using stampede::JsonSource;
using stampede::Overrides;

constexpr const char* kName = "/nonexistent-stampede-fuzz/scenario.json";
constexpr std::size_t kMaxLocatedValues = 1000;

// Splits off the leading "@key=value" lines; returns the rest, the JSON text.
std::string_view TakeOverrides(std::string_view input, Overrides& overrides) {
  while (!input.empty() && input.front() == '@') {
    const auto end = std::min(input.find('\n'), input.size());
    auto parsed = stampede::ParseOverride(std::string(input.substr(1, end - 1)));
    if (parsed.ok()) overrides.push_back(parsed.value());
    input.remove_prefix(std::min(end + 1, input.size()));
  }
  return input;
}

// Every value of the document can be described (and its location looked up).
void DescribeValues(const JsonSource& source, const nlohmann::json& value,
                    const std::string& pointer, std::size_t& budget) {
  if (budget == 0) return;
  --budget;
  FUZZ_CHECK(!source.Describe(pointer, "m").empty());
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      DescribeValues(source, child, pointer + "/" + stampede::EscapePointerToken(key), budget);
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      DescribeValues(source, value[i], pointer + "/" + std::to_string(i), budget);
    }
  }
}

// A syntax error is an InvalidInput naming the document; a parsed one locates its values.
void CheckJsonSource(const std::string& text) {
  auto source = JsonSource::Parse(kName, text);
  if (!source.ok()) {
    FUZZ_CHECK(source.error().kind == ErrorKind::kInvalidInput);
    FUZZ_CHECK(source.error().message.rfind(kName, 0) == 0);
    return;
  }
  std::size_t budget = kMaxLocatedValues;
  DescribeValues(source.value(), source.value().root(), "", budget);
}

// A scenario is valid or an InvalidInput with a message; the loader never reads a file
// here, so it never fails on the environment.
void CheckScenario(const std::string& text, const Overrides& overrides) {
  auto scenario = stampede::ParseScenario(kName, text, overrides);
  if (!scenario.ok()) {
    FUZZ_CHECK(scenario.error().kind == ErrorKind::kInvalidInput);
    FUZZ_CHECK(!scenario.error().message.empty());
    return;
  }
  FUZZ_CHECK(!scenario.value().name.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Overrides overrides;
  const std::string text(TakeOverrides(stampede::fuzz::AsText(data, size), overrides));
  CheckJsonSource(text);
  CheckScenario(text, overrides);
  return 0;
}
