// Spreads a raw TCP load's connections over several event loops, one per load thread, as wrk
// does: each thread owns its connections, sessions and recorder (no locks on the hot path), and
// what they recorded is taken back after they are joined.
#pragma once

#include <functional>
#include <memory>
#include <stop_token>
#include <vector>

#include "history/history.h"
#include "workloads/tcp_client_engine.h"

namespace stampede {

// Load threads when a load does not say: what a machine of `cpus` CPUs can spare beside the
// targets it loads (half of them, at least one).
int DefaultLoadThreads(unsigned cpus);

// `threads` as a load resolves it: 0 means DefaultLoadThreads(this machine), and never more
// threads than connections.
int ResolveLoadThreads(int threads, int connections);

// Builds the session of connection `connection`, recording through `recorder`.
using SessionFactory =
    std::function<std::unique_ptr<ClientSession>(OpRecorder& recorder, int connection)>;

// Runs RunClientSessions over `connections` connections split into `threads` nearly equal
// ranges, the first on the calling thread with `recorder`, the others on threads of their own
// with recorders from recorder.ForThread(), absorbed back after join. Returns when every thread
// has ended; `stop` reaches all of them.
void RunLoadThreads(const TcpEndpoint& endpoint, int connections, int threads,
                    const SessionFactory& make, OpRecorder& recorder,
                    const TcpEngineOptions& options, const std::stop_token& stop);

}  // namespace stampede
