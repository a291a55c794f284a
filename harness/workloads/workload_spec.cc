#include "workloads/workload_spec.h"

namespace stampede {

bool Reconnects(const WorkloadSpec& spec) {
  return std::visit(
      [](const auto& load) {
        if constexpr (requires { load.reconnect; }) {
          return load.reconnect;
        } else {
          return false;
        }
      },
      spec);
}

void ReadRate(ObjectReader& reader, double& rate, const char* pace_key, std::int64_t pace) {
  reader.Optional("rate", rate);
  if (rate < 0 || rate > 1e8) {
    reader.Report(reader.ChildPointer("rate"),
                  "must be between 0 and 100000000 requests per second");
  } else if (rate > 0 && pace > 0) {
    reader.Report(reader.ChildPointer("rate"),
                  std::string("a load runs at a rate or is paced (") + pace_key + "), not both");
  }
}

double AskedRate(const WorkloadSpec& spec) {
  return std::visit(
      [](const auto& load) {
        if constexpr (requires { load.rate; }) {
          return load.rate;
        } else {
          return 0.0;
        }
      },
      spec);
}

const char* WorkloadTypeName(const WorkloadSpec& spec) {
  struct Namer {
    const char* operator()(const ParallelRequestsSpec&) const { return "parallel-requests"; }
    const char* operator()(const PingPongSpec&) const { return "pingpong"; }
    const char* operator()(const RpcSpec&) const { return "rpc"; }
    const char* operator()(const StartStopSpec&) const { return "start-stop"; }
    const char* operator()(const ReloadStormSpec&) const { return "reload-storm"; }
    const char* operator()(const ClientRunSpec&) const { return "client-run"; }
    const char* operator()(const HttpLoadSpec&) const { return "http"; }
    const char* operator()(const LineScriptSpec&) const { return "lines"; }
  };
  return std::visit(Namer{}, spec);
}

WorkloadSpec ReadWorkloadSpec(ObjectReader& reader) {
  std::string type;
  if (!reader.Required("type", type)) return ParallelRequestsSpec{};
  if (type == "parallel-requests") return ReadParallelRequestsSpec(reader);
  if (type == "pingpong") return ReadPingPongSpec(reader);
  if (type == "rpc") return ReadRpcSpec(reader);
  if (type == "start-stop") return ReadStartStopSpec(reader);
  if (type == "reload-storm") return ReadReloadStormSpec(reader);
  if (type == "client-run") return ReadClientRunSpec(reader);
  if (type == "http") return ReadHttpLoadSpec(reader);
  if (type == "lines") return ReadLineScriptSpec(reader);
  reader.Report(
      reader.ChildPointer("type"),
      "unknown workload type \"" + type +
          "\" (known: parallel-requests, pingpong, rpc, http, lines, start-stop, reload-storm, "
          "client-run)");
  reader.SkipRemaining();  // the other fields cannot be judged without a known type
  return ParallelRequestsSpec{};
}

}  // namespace stampede
