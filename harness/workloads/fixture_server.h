// The HTTP server stampede hosts for a client under test (the `client-run` workload): on a
// free 127.0.0.1 port, event-driven on one thread of its own, it answers every request with
// the request's sequence (its `seq` query parameter, else the order it arrived in), can delay
// or fail a chosen fraction of requests, and records every request it sees.
//
// Which requests are delayed or failed is drawn from the seed and the request's arrival index,
// so a run with the same seed makes the same choices for the same arrival order.
//
// Threading: Start, Stop, port and Requests may be called from any thread; the server's own
// thread does all socket work.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"

namespace stampede {

struct FixtureOptions {
  double delay_fraction = 0;  // of requests answered only after delay_ms
  int delay_ms = 0;
  double fail_fraction = 0;  // of requests answered with fail_status
  int fail_status = 503;
  std::uint64_t seed = 0;
  int max_connections = 4096;  // beyond this, new connections are closed at once
};

// One request as the fixture saw it.
struct SeenRequest {
  std::int64_t time_ns = 0;  // monotonic, when it was complete
  int connection = 0;        // 1-based, in accept order
  std::int64_t index = 0;    // 0-based arrival order over the whole server
  std::string method;
  std::string target;
  std::string seq;  // the answer's sequence
  int status = 0;   // the status it got (400 for a malformed request)
  bool delayed = false;
  std::string error;  // malformed: why ("request line is not ...")
};

class FixtureServer {
 public:
  // Listens on 127.0.0.1 and an ephemeral port and starts serving.
  static Result<std::unique_ptr<FixtureServer>> Start(const FixtureOptions& options);
  ~FixtureServer();  // Stop()
  FixtureServer(const FixtureServer&) = delete;
  FixtureServer& operator=(const FixtureServer&) = delete;

  int port() const { return port_; }
  // Stops serving, closes every connection and the listening socket; returns once the
  // server's thread is gone.
  void Stop();
  // Every request seen so far, in arrival order.
  std::vector<SeenRequest> Requests() const;
  // Connections accepted so far.
  int connections() const { return accepted_.load(); }

 private:
  FixtureServer(const FixtureOptions& options, int listener, int port, int wake_fd);
  void Serve(const std::stop_token& stop);

  struct Loop;
  const FixtureOptions options_;
  const int listener_;  // closed by Serve when it ends
  const int port_;
  const int wake_fd_;  // eventfd: Stop() wakes the loop
  std::atomic<int> accepted_{0};
  mutable std::mutex mutex_;
  std::vector<SeenRequest> requests_;  // guarded by mutex_
  std::jthread thread_;
};

}  // namespace stampede
