// An in-process TCP fault proxy on loopback (Toxiproxy's model): accepts on 127.0.0.1:port,
// connects each client to the upstream, and forwards both directions through the fault's
// toxics while they are enabled.
//
// Threading: one accept thread, and two threads per proxied connection (one per direction,
// blocking I/O: simple and exact about chunk boundaries). SetEnabled, Figures and Stop may be
// called from any thread; the event sink is called from the proxy's threads.
#pragma once

#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/status.h"
#include "faults/fault_spec.h"
#include "workloads/tcp_client_engine.h"

namespace stampede {

// Called for what the proxy did that a reader of the history needs: a connection reset, a
// limit reached, an upstream that refused. `what` is one line.
using FaultEventSink = std::function<void(const std::string& what)>;

class FaultProxy {
 public:
  // Listens on 127.0.0.1:`port`. `seed` drives the slicer, the jitter and the toxicity picks.
  static Result<std::unique_ptr<FaultProxy>> Start(FaultSpec spec, int port, TcpEndpoint upstream,
                                                   std::uint64_t seed, FaultEventSink sink);
  // Stops (see Stop).
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  // Switches the toxics on or off for data forwarded from now on.
  void SetEnabled(bool enabled) { enabled_.store(enabled); }
  // Closes the listener and every proxied connection and joins every thread.
  void Stop();
  // {"connections", "bytes_upstream", "bytes_downstream", "dropped_bytes", "resets",
  //  "limited", "upstream_failures", "enabled"}.
  nlohmann::json Figures() const;
  int port() const { return port_; }

 private:
  struct Connection;
  // A pump thread; `done` is set as its last step, so a finished one is joined at once.
  struct Worker {
    std::jthread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };

  FaultProxy(FaultSpec spec, int listener, int port, TcpEndpoint upstream, std::uint64_t seed,
             FaultEventSink sink);
  void AcceptLoop();
  void Open(int client);
  void Pump(const std::shared_ptr<Connection>& connection, ToxicStream stream);
  // Forwards one chunk through the toxics; false when the connection must end.
  bool Forward(Connection& connection, ToxicStream stream, const char* data, std::size_t size,
               std::int64_t& forwarded);
  bool SendAll(int fd, const char* data, std::size_t size);
  void Reset(Connection& connection, const std::string& why);
  void Limit(Connection& connection);
  void SleepFor(std::chrono::microseconds wait) const;

  FaultSpec spec_;
  int listener_;
  int port_;
  TcpEndpoint upstream_;
  std::uint64_t seed_;
  FaultEventSink sink_;
  std::atomic<bool> enabled_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> connections_{0}, bytes_up_{0}, bytes_down_{0}, dropped_{0}, resets_{0},
      limited_{0}, upstream_failures_{0};
  std::mutex mutex_;
  std::list<std::shared_ptr<Connection>> open_;  // guarded by mutex_
  std::list<Worker> threads_;                    // guarded by mutex_
  std::jthread acceptor_;
};

}  // namespace stampede
