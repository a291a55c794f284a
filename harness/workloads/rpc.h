// The `rpc` workload: `callers` concurrent callers multiplexed over `connections` connections
// to a server speaking the framed RPC protocol (protocols/rpc_frame.h), each caller making
// `calls` calls one after the other; see rpc_session.h for how replies are matched.
#pragma once

#include <string>

#include "workloads/rpc_spec.h"
#include "workloads/tcp_client_engine.h"
#include "workloads/workload.h"

namespace stampede {

class Rpc : public Workload {
 public:
  Rpc(RpcSpec spec, TcpEndpoint endpoint, std::string nonce);
  void Run(OpRecorder& recorder, const std::stop_token& stop) override;

 private:
  RpcSpec spec_;
  TcpEndpoint endpoint_;
  std::string nonce_;
};

}  // namespace stampede
