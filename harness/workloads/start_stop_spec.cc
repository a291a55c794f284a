#include "workloads/start_stop_spec.h"

namespace stampede {
namespace {

void ReadProtocol(ObjectReader& reader, StopLoadSpec& load) {
  std::string protocol = "http";
  if (reader.Optional("protocol", protocol) && protocol != "http" && protocol != "resp") {
    reader.Report(reader.ChildPointer("protocol"),
                  "must be \"http\" or \"resp\", got \"" + protocol + "\"");
  }
  load.protocol = protocol == "resp" ? StopLoadProtocol::kResp : StopLoadProtocol::kHttp;
  load.request = load.protocol == StopLoadProtocol::kResp ? "PING" : "/";
}

StopLoadSpec ReadLoad(ObjectReader& reader) {
  StopLoadSpec load;
  ReadProtocol(reader, load);
  reader.Required("address", load.address);
  reader.Optional("idle_connections", load.idle_connections);
  reader.Optional("busy_connections", load.busy_connections);
  reader.Optional("silent_connections", load.silent_connections);
  reader.Optional("request", load.request);
  reader.Optional("busy_request", load.busy_request);
  reader.Optional("busy_must_answer", load.busy_must_answer);
  reader.Optional("timeout_ms", load.timeout_ms);
  reader.RequireRange("idle_connections", load.idle_connections, 0, 1000);
  reader.RequireRange("busy_connections", load.busy_connections, 0, 1000);
  reader.RequireRange("silent_connections", load.silent_connections, 0, 1000);
  reader.RequireRange("timeout_ms", load.timeout_ms, 1, 3600000);
  if (load.request.empty()) reader.Report(reader.ChildPointer("request"), "must not be empty");
  if (load.busy_connections > 0 && load.busy_request.empty()) {
    reader.Report(
        reader.ChildPointer(reader.Has("busy_request") ? "busy_request" : "busy_connections"),
        "busy connections need a non-empty \"busy_request\"");
  }
  return load;
}

}  // namespace

StartStopSpec ReadStartStopSpec(ObjectReader& reader) {
  StartStopSpec spec;
  reader.Optional("cycles", spec.cycles);
  reader.RequireRange("cycles", spec.cycles, 1, 1000000);
  reader.Optional("keep_going", spec.keep_going);
  reader.Optional("hold_ms", spec.hold_ms);
  reader.RequireRange("hold_ms", spec.hold_ms, 0, 3600000);
  spec.load = ReadLoad(reader);
  return spec;
}

}  // namespace stampede
