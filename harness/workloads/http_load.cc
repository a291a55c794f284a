#include "workloads/http_load.h"

#include <memory>
#include <vector>

#include "core/clock.h"
#include "workloads/load_threads.h"

namespace stampede {

HttpLoad::HttpLoad(HttpLoadSpec spec, TcpEndpoint endpoint, HttpRequestTemplate request)
    : spec_(std::move(spec)), endpoint_(std::move(endpoint)), request_(std::move(request)) {}

void HttpLoad::Run(OpRecorder& recorder, const std::stop_token& stop) {
  const std::int64_t start_ns = MonotonicNanos();  // the open-loop schedule's origin
  SessionFactory make = [this, start_ns](OpRecorder& own, int connection) {
    return std::make_unique<HttpLoadSession>(spec_, request_, connection, own, progress_, start_ns);
  };
  RunLoadThreads(endpoint_, spec_.connections, ResolveLoadThreads(spec_.threads, spec_.connections),
                 make, recorder, LoadEngineOptions(spec_.timeout_ms, spec_.reconnect), stop);
}

}  // namespace stampede
