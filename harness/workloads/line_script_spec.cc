#include "workloads/line_script_spec.h"

#include <regex>

#include "workloads/workload_spec.h"

namespace stampede {
namespace {

// An element of "expect": "TEXT" or {"regex": "RE"}.
void ReadExpectation(ObjectReader& reader, const nlohmann::json& value, const std::string& pointer,
                     LineStep& step) {
  if (value.is_string()) {
    step.expect.push_back({value.get<std::string>(), false});
  } else if (value.is_object() && value.size() == 1 && value.contains("regex") &&
             value["regex"].is_string()) {
    step.expect.push_back({value["regex"].get<std::string>(), true});
    try {
      std::regex check(step.expect.back().text);
    } catch (const std::regex_error& e) {
      reader.Report(pointer + "/regex", std::string("invalid regex: ") + e.what());
    }
  } else {
    reader.Report(pointer,
                  "must be a line's text or {\"regex\": REGEX}, got " + DescribeJson(value));
  }
}

LineStep ReadStep(ObjectReader& reader) {
  LineStep step;
  if (reader.Required("send", step.send) && step.send.empty()) {
    reader.Report(reader.ChildPointer("send"), "must not be empty");
  }
  const auto* expect = reader.Array("expect", true);
  if (expect == nullptr) return step;
  for (std::size_t i = 0; i < expect->size(); ++i) {
    ReadExpectation(reader, (*expect)[i], reader.ChildPointer("expect") + "/" + std::to_string(i),
                    step);
  }
  if (expect->empty()) reader.Report(reader.ChildPointer("expect"), "must list the reply's lines");
  return step;
}

}  // namespace

LineScriptSpec ReadLineScriptSpec(ObjectReader& reader) {
  LineScriptSpec spec;
  reader.Required("address", spec.address);
  reader.Optional("connections", spec.connections);
  reader.Optional("requests", spec.requests);
  reader.Optional("pace_ms", spec.pace_ms);
  reader.Optional("timeout_ms", spec.timeout_ms);
  reader.Optional("reconnect", spec.reconnect);
  reader.RequireRange("connections", spec.connections, 1, 10000);
  reader.RequireRange("requests", spec.requests, 1, 10000000);
  reader.RequireRange("pace_ms", spec.pace_ms, 0, 3600000);
  ReadRate(reader, spec.rate, "pace_ms", spec.pace_ms);
  reader.RequireRange("timeout_ms", spec.timeout_ms, 1, 3600000);
  const auto* steps = reader.Array("steps", true);
  if (steps == nullptr) return spec;
  for (std::size_t i = 0; i < steps->size(); ++i) {
    ObjectReader step_reader(reader.source(), (*steps)[i],
                             reader.ChildPointer("steps") + "/" + std::to_string(i),
                             reader.diagnostics());
    if (!step_reader.valid()) continue;
    spec.steps.push_back(ReadStep(step_reader));
    step_reader.Finish();
  }
  if (steps->empty()) reader.Report(reader.ChildPointer("steps"), "must list at least one step");
  return spec;
}

}  // namespace stampede
