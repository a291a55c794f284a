#include "workloads/load_threads.h"

#include <algorithm>
#include <thread>

namespace stampede {
namespace {

void RunRange(const TcpEndpoint& endpoint, const SessionFactory& make, OpRecorder& recorder,
              int first, int count, const TcpEngineOptions& options, const std::stop_token& stop) {
  std::vector<std::unique_ptr<ClientSession>> sessions;
  std::vector<ClientSession*> driven;
  for (int connection = first; connection < first + count; ++connection) {
    sessions.push_back(make(recorder, connection));
    driven.push_back(sessions.back().get());
  }
  RunClientSessions(endpoint, driven, options, stop);
}

}  // namespace

int DefaultLoadThreads(unsigned cpus) {
  return std::max(1, static_cast<int>(cpus / 2));
}

int ResolveLoadThreads(int threads, int connections) {
  if (threads <= 0) threads = DefaultLoadThreads(std::thread::hardware_concurrency());
  return std::clamp(threads, 1, std::max(1, connections));
}

void RunLoadThreads(const TcpEndpoint& endpoint, int connections, int threads,
                    const SessionFactory& make, OpRecorder& recorder,
                    const TcpEngineOptions& options, const std::stop_token& stop) {
  threads = std::clamp(threads, 1, std::max(1, connections));
  auto first_of = [&](int thread) {
    return static_cast<int>(static_cast<long long>(connections) * thread / threads);
  };
  std::vector<std::unique_ptr<OpRecorder>> recorders;
  std::vector<std::jthread> others;
  for (int thread = 1; thread < threads; ++thread) {
    recorders.push_back(recorder.ForThread());
    others.emplace_back([&, thread, own = recorders.back().get()] {
      RunRange(endpoint, make, *own, first_of(thread), first_of(thread + 1) - first_of(thread),
               options, stop);
    });
  }
  RunRange(endpoint, make, recorder, 0, first_of(1), options, stop);
  for (auto& other : others) other.join();
  for (auto& other : recorders) recorder.Absorb(*other);
}

}  // namespace stampede
