#include "workloads/parallel_requests_spec.h"

namespace stampede {
ParallelRequestsSpec ReadParallelRequestsSpec(ObjectReader& reader) {
  ParallelRequestsSpec spec;
  reader.Required("url", spec.url);
  reader.Optional("requests", spec.requests);
  reader.Optional("rounds", spec.rounds);
  reader.Optional("timeout_ms", spec.timeout_ms);
  reader.Optional("expect_status", spec.expect_status);
  reader.RequireRange("requests", spec.requests, 1, 100000);
  reader.RequireRange("rounds", spec.rounds, 1, 100000);
  reader.RequireRange("timeout_ms", spec.timeout_ms, 1, 3600000);
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
