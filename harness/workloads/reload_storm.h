// The `reload-storm` workload: browser tabs reloading a page. In every round each tab opens
// its connections at once (see StormPlanner), sends keep-alive GETs on them, and on reload
// abandons them, mid-response or not, by reset, orderly close or leaving them idle. After
// every round (probe_at "every_round", "both"), and once after the last round, the idle
// connections' final_idle and settle_ms (probe_at "end", "both"), a liveness probe (a fresh
// connection and a GET) must be answered within probe_deadline_ms; the first that is not
// (refused, timed out, an error status) sets unresponsive() and progress().stuck, and Run then
// holds every connection of the storm open until it is stopped.
//
// History: storm connection n (1-based, in opening order) is client n; its requests are seq 0,
// 1, ... with f "GET <path>"; a preconnect is one operation, f "preconnect". Probe k (1-based)
// is client 0, seq k, f "probe GET <path>".
//   ok:   a 2xx..3xx answer; a preconnect that connected; an answered probe
//   fail: an error status, garbage, a refused or broken connection; a probe that got one
//   info: a request the reload abandoned ("abandoned by reload (rst)"); an unanswered probe;
//         anything cut short by `stop`
#pragma once

#include <cstdint>
#include <optional>

#include "workloads/reload_storm_spec.h"
#include "workloads/tcp_client_engine.h"
#include "workloads/workload.h"

namespace stampede {

class ReloadStorm : public Workload {
 public:
  // `seed` draws every tab's connections, aborts and reload times (StormPlanner).
  ReloadStorm(ReloadStormSpec spec, TcpEndpoint endpoint, std::uint64_t seed);
  void Run(OpRecorder& recorder, const std::stop_token& stop) override;
  std::optional<Unresponsive> unresponsive() const override { return unresponsive_; }
  // {"storm": {connections, preconnects, connected, refused, never_completed, answered,
  // requests, responses, abandoned, peak_open, idle_open, probes}}.
  nlohmann::json Figures() const override { return {{"storm", figures_}}; }

 private:
  ReloadStormSpec spec_;
  TcpEndpoint endpoint_;
  std::uint64_t seed_;
  std::optional<Unresponsive> unresponsive_;
  nlohmann::json figures_;
};

// The port of a resolved endpoint.
int EndpointPort(const TcpEndpoint& endpoint);

}  // namespace stampede
