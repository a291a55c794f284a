#include "workloads/client_run_spec.h"

namespace stampede {
namespace {

void RequireFraction(ObjectReader& reader, const std::string& key, double value) {
  if (reader.Has(key) && !(value >= 0 && value <= 1)) {
    reader.Report(reader.ChildPointer(key), "must be a fraction between 0 and 1");
  }
}

}  // namespace

ClientRunSpec ReadClientRunSpec(ObjectReader& reader) {
  ClientRunSpec spec;
  reader.Optional("client", spec.client);
  reader.Optional("path", spec.path);
  reader.Optional("deadline_ms", spec.deadline_ms);
  reader.Optional("expect_requests", spec.expect_requests);
  reader.Optional("delay_fraction", spec.delay_fraction);
  reader.Optional("delay_ms", spec.delay_ms);
  reader.Optional("fail_fraction", spec.fail_fraction);
  reader.Optional("fail_status", spec.fail_status);
  reader.Optional("fixture", spec.fixture);
  reader.RequireRange("deadline_ms", spec.deadline_ms, 1, 86400000);
  reader.RequireRange("expect_requests", spec.expect_requests, 0, 100000000);
  reader.RequireRange("delay_ms", spec.delay_ms, 0, 600000);
  reader.RequireRange("fail_status", spec.fail_status, 400, 599);
  RequireFraction(reader, "delay_fraction", spec.delay_fraction);
  RequireFraction(reader, "fail_fraction", spec.fail_fraction);
  if (!spec.fixture) {
    for (const char* key : {"path", "expect_requests", "delay_fraction", "delay_ms",
                            "fail_fraction", "fail_status"}) {
      if (reader.Has(key)) {
        reader.Report(reader.ChildPointer(key),
                      "is a setting of the fixture, which \"fixture\": false turns off");
      }
    }
  }
  if (spec.path.empty() || spec.path[0] != '/') {
    reader.Report(reader.ChildPointer("path"), "must start with \"/\", got \"" + spec.path + "\"");
  }
  return spec;
}

}  // namespace stampede
