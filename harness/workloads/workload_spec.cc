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
