// The `pingpong` workload: `connections` raw TCP clients on one event loop, each sending
// `requests` numbered requests with up to `pipeline` in flight, checking every reply against
// its request (see pingpong_session.h).
#pragma once

#include <string>

#include "workloads/pingpong_spec.h"
#include "workloads/tcp_client_engine.h"
#include "workloads/workload.h"

namespace stampede {

class PingPong : public Workload {
 public:
  // `nonce` makes the run's tokens and keys unique (the run's seed, for instance).
  PingPong(PingPongSpec spec, TcpEndpoint endpoint, std::string nonce);
  void Run(OpRecorder& recorder, const std::stop_token& stop) override;

 private:
  PingPongSpec spec_;
  TcpEndpoint endpoint_;
  std::string nonce_;
};

}  // namespace stampede
