#include "workloads/pingpong.h"

#include <memory>
#include <vector>

#include "core/clock.h"
#include "workloads/load_threads.h"
#include "workloads/pingpong_session.h"

namespace stampede {

PingPong::PingPong(PingPongSpec spec, TcpEndpoint endpoint, std::string nonce)
    : spec_(std::move(spec)), endpoint_(std::move(endpoint)), nonce_(std::move(nonce)) {}

void PingPong::Run(OpRecorder& recorder, const std::stop_token& stop) {
  const std::int64_t start_ns = MonotonicNanos();  // the open-loop schedule's origin
  SessionFactory make = [this, start_ns](OpRecorder& own, int connection) {
    return std::make_unique<PingPongSession>(spec_, connection, nonce_, own, progress_, start_ns);
  };
  RunLoadThreads(endpoint_, spec_.connections, ResolveLoadThreads(spec_.threads, spec_.connections),
                 make, recorder, LoadEngineOptions(spec_.timeout_ms, spec_.reconnect), stop);
}

}  // namespace stampede
