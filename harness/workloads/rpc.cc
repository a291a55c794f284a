#include "workloads/rpc.h"

#include <memory>
#include <vector>

#include "workloads/rpc_session.h"

namespace stampede {

Rpc::Rpc(RpcSpec spec, TcpEndpoint endpoint, std::string nonce)
    : spec_(std::move(spec)), endpoint_(std::move(endpoint)), nonce_(std::move(nonce)) {}

void Rpc::Run(OpRecorder& recorder, const std::stop_token& stop) {
  recorder.Reserve(2 * static_cast<std::size_t>(spec_.callers) *
                   static_cast<std::size_t>(spec_.calls));
  std::vector<std::vector<int>> callers_of(static_cast<std::size_t>(spec_.connections));
  for (int caller = 0; caller < spec_.callers; ++caller) {
    callers_of[static_cast<std::size_t>(caller % spec_.connections)].push_back(caller);
  }
  std::vector<std::unique_ptr<RpcSession>> sessions;
  std::vector<ClientSession*> driven;
  for (int connection = 0; connection < spec_.connections; ++connection) {
    auto& callers = callers_of[static_cast<std::size_t>(connection)];
    if (callers.empty()) continue;  // more connections than callers
    sessions.push_back(std::make_unique<RpcSession>(spec_, connection, std::move(callers), nonce_,
                                                    recorder, progress_));
    driven.push_back(sessions.back().get());
  }
  RunClientSessions(endpoint_, driven, LoadEngineOptions(spec_.timeout_ms, spec_.reconnect), stop);
}

}  // namespace stampede
