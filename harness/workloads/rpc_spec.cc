#include "workloads/rpc_spec.h"

#include "protocols/rpc_frame.h"

namespace stampede {
namespace {

void ReadMethods(ObjectReader& reader, RpcSpec& spec) {
  std::vector<std::string> names;
  if (!reader.Optional("methods", names)) return;
  spec.methods.clear();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "echo") {
      spec.methods.push_back(rpc::kEcho);
    } else if (names[i] == "reverse") {
      spec.methods.push_back(rpc::kReverse);
    } else if (names[i] == "upper") {
      spec.methods.push_back(rpc::kUpper);
    } else {
      reader.Report(reader.ChildPointer("methods") + "/" + std::to_string(i),
                    "must be \"echo\", \"reverse\" or \"upper\", got \"" + names[i] + "\"");
    }
  }
  if (names.empty()) reader.Report(reader.ChildPointer("methods"), "must name a method");
}

}  // namespace

RpcSpec ReadRpcSpec(ObjectReader& reader) {
  RpcSpec spec;
  reader.Required("address", spec.address);
  reader.Optional("connections", spec.connections);
  reader.Optional("callers", spec.callers);
  reader.Optional("calls", spec.calls);
  reader.Optional("payload_bytes", spec.payload_bytes);
  reader.Optional("timeout_ms", spec.timeout_ms);
  reader.Optional("reconnect", spec.reconnect);
  ReadMethods(reader, spec);
  reader.RequireRange("connections", spec.connections, 1, 10000);
  reader.RequireRange("callers", spec.callers, 1, 100000);
  reader.RequireRange("calls", spec.calls, 1, 10000000);
  reader.RequireRange("payload_bytes", spec.payload_bytes, 1, static_cast<int>(rpc::kMaxPayload));
  reader.RequireRange("timeout_ms", spec.timeout_ms, 1, 3600000);
  return spec;
}

}  // namespace stampede
