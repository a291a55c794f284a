#include "workloads/http_load.h"

#include <memory>
#include <vector>

namespace stampede {

HttpLoad::HttpLoad(HttpLoadSpec spec, TcpEndpoint endpoint, HttpRequestTemplate request)
    : spec_(std::move(spec)), endpoint_(std::move(endpoint)), request_(std::move(request)) {}

void HttpLoad::Run(OpRecorder& recorder, const std::stop_token& stop) {
  if (spec_.requests > 0) {
    recorder.Reserve(2 * static_cast<std::size_t>(spec_.connections) *
                     static_cast<std::size_t>(spec_.requests));
  }
  std::vector<std::unique_ptr<HttpLoadSession>> sessions;
  std::vector<ClientSession*> driven;
  for (int connection = 0; connection < spec_.connections; ++connection) {
    sessions.push_back(
        std::make_unique<HttpLoadSession>(spec_, request_, connection, recorder, progress_));
    driven.push_back(sessions.back().get());
  }
  RunClientSessions(endpoint_, driven, LoadEngineOptions(spec_.timeout_ms, spec_.reconnect), stop);
}

}  // namespace stampede
