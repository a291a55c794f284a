#include "workloads/pingpong_spec.h"

#include "workloads/workload_spec.h"

namespace stampede {
PingPongSpec ReadPingPongSpec(ObjectReader& reader) {
  PingPongSpec spec;
  reader.Required("address", spec.address);
  std::string protocol = "resp";
  if (reader.Optional("protocol", protocol) && protocol != "resp" && protocol != "line") {
    reader.Report(reader.ChildPointer("protocol"),
                  "must be \"resp\" or \"line\", got \"" + protocol + "\"");
  }
  spec.protocol = protocol == "line" ? PingPongProtocol::kLine : PingPongProtocol::kResp;
  std::string mode = "ping";
  if (reader.Optional("mode", mode)) {
    if (mode != "ping" && mode != "set-get") {
      reader.Report(reader.ChildPointer("mode"),
                    "must be \"ping\" or \"set-get\", got \"" + mode + "\"");
    } else if (mode == "set-get" && spec.protocol == PingPongProtocol::kLine) {
      reader.Report(reader.ChildPointer("mode"), "\"set-get\" needs protocol \"resp\"");
    }
  }
  spec.mode = mode == "set-get" ? PingPongMode::kSetGet : PingPongMode::kPing;
  reader.Optional("connections", spec.connections);
  reader.Optional("requests", spec.requests);
  reader.Optional("pipeline", spec.pipeline);
  reader.Optional("threads", spec.threads);
  reader.Optional("pace_us", spec.pace_us);
  reader.Optional("timeout_ms", spec.timeout_ms);
  reader.Optional("reconnect", spec.reconnect);
  reader.RequireRange("connections", spec.connections, 1, 10000);
  reader.RequireRange("requests", spec.requests, 0, 10000000);
  reader.RequireRange("pipeline", spec.pipeline, 1, 1024);
  reader.RequireRange("threads", spec.threads, 0, 256);
  ReadRate(reader, spec.rate, "pace_us", spec.pace_us);
  reader.RequireRange("pace_us", spec.pace_us, 0, 60000000);
  reader.RequireRange("timeout_ms", spec.timeout_ms, 1, 3600000);
  return spec;
}

}  // namespace stampede
