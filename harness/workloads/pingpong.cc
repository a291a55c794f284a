#include "workloads/pingpong.h"

#include <memory>
#include <vector>

#include "workloads/pingpong_session.h"

namespace stampede {

PingPong::PingPong(PingPongSpec spec, TcpEndpoint endpoint, std::string nonce)
    : spec_(std::move(spec)), endpoint_(std::move(endpoint)), nonce_(std::move(nonce)) {}

void PingPong::Run(OpRecorder& recorder, const std::stop_token& stop) {
  // An invoke and a completion per request.
  recorder.Reserve(2 * static_cast<std::size_t>(spec_.connections) *
                   static_cast<std::size_t>(spec_.requests));
  std::vector<std::unique_ptr<PingPongSession>> sessions;
  std::vector<ClientSession*> driven;
  for (int connection = 0; connection < spec_.connections; ++connection) {
    sessions.push_back(
        std::make_unique<PingPongSession>(spec_, connection, nonce_, recorder, progress_));
    driven.push_back(sessions.back().get());
  }
  RunClientSessions(endpoint_, driven, LoadEngineOptions(spec_.timeout_ms, spec_.reconnect), stop);
}

}  // namespace stampede
