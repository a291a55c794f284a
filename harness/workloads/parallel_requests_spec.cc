#include "workloads/parallel_requests_spec.h"

namespace stampede {
namespace {

void RequirePositive(ObjectReader& reader, const std::string& key, int value, int max) {
  if (value < 1 || value > max) {
    reader.Report(reader.ChildPointer(key), "must be between 1 and " + std::to_string(max) +
                                                ", got " + std::to_string(value));
  }
}

}  // namespace

ParallelRequestsSpec ReadParallelRequestsSpec(ObjectReader& reader) {
  ParallelRequestsSpec spec;
  reader.Required("url", spec.url);
  reader.Optional("requests", spec.requests);
  reader.Optional("rounds", spec.rounds);
  reader.Optional("timeout_ms", spec.timeout_ms);
  reader.Optional("expect_status", spec.expect_status);
  RequirePositive(reader, "requests", spec.requests, 100000);
  RequirePositive(reader, "rounds", spec.rounds, 100000);
  RequirePositive(reader, "timeout_ms", spec.timeout_ms, 3600000);
  std::string echo = "none";
  if (reader.Optional("echo", echo)) {
    if (echo == "header") {
      spec.echo = EchoCheck::kHeader;
    } else if (echo == "body") {
      spec.echo = EchoCheck::kBody;
    } else if (echo != "none") {
      reader.Report(reader.ChildPointer("echo"),
                    "must be \"none\", \"header\" or \"body\", got \"" + echo + "\"");
    }
  }
  return spec;
}

}  // namespace stampede
