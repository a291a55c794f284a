#include "workloads/workload.h"

#include <fmt/format.h>

#include <cstdlib>

#include "workloads/http_load.h"
#include "workloads/line_script.h"
#include "workloads/loopback_policy.h"
#include "workloads/parallel_requests.h"
#include "workloads/pingpong.h"
#include "workloads/reload_storm.h"
#include "workloads/rpc.h"

namespace stampede {
namespace {

Result<std::unique_ptr<Workload>> MakeParallelRequests(const ParallelRequestsSpec& spec,
                                                       const PlaceholderValues& values,
                                                       const NetworkPolicy& policy) {
  auto url = ExpandPlaceholders(spec.url, values, true);
  if (!url.ok()) return url.error();
  auto sample = ExpandPlaceholders(url.value(), {{"seq", "0"}}, false);
  if (!sample.ok()) return sample.error();
  if (auto allowed = CheckUrlAllowed(sample.value(), policy.allow_remote); !allowed.ok()) {
    return allowed.error();
  }
  return std::unique_ptr<Workload>(new ParallelRequests(spec, url.value()));
}

std::uint64_t RunSeed(const PlaceholderValues& values) {
  auto seed = values.find("seed");
  return seed == values.end() ? 0 : std::strtoull(seed->second.c_str(), nullptr, 10);
}

// Four hex digits from the run's seed: enough to tell runs apart in a shared server, and
// short enough that tokens stay within std::string's inline buffer (no allocation per op).
std::string RunNonce(const PlaceholderValues& values) {
  return fmt::format("{:04x}", RunSeed(values) & 0xffff);
}

}  // namespace

Result<TcpEndpoint> ResolveEndpoint(const std::string& address_template,
                                    const PlaceholderValues& values, const NetworkPolicy& policy) {
  auto address = ExpandPlaceholders(address_template, values, false);
  if (!address.ok()) return address.error();
  auto endpoint = ParseTcpEndpoint(address.value());
  if (!endpoint.ok()) return endpoint.error();
  auto host = address.value().substr(0, address.value().rfind(':'));
  if (!policy.allow_remote && !IsLoopbackHost(host)) {
    return InvalidInput("refusing to send traffic to " + host +
                        ": stampede only targets loopback addresses (pass --allow-remote to "
                        "override)");
  }
  return endpoint;
}

namespace {

Result<std::unique_ptr<Workload>> MakePingPong(const PingPongSpec& spec,
                                               const PlaceholderValues& values,
                                               const NetworkPolicy& policy) {
  auto endpoint = ResolveEndpoint(spec.address, values, policy);
  if (!endpoint.ok()) return endpoint.error();
  return std::unique_ptr<Workload>(new PingPong(spec, endpoint.value(), RunNonce(values)));
}

Result<std::unique_ptr<Workload>> MakeRpc(const RpcSpec& spec, const PlaceholderValues& values,
                                          const NetworkPolicy& policy) {
  auto endpoint = ResolveEndpoint(spec.address, values, policy);
  if (!endpoint.ok()) return endpoint.error();
  return std::unique_ptr<Workload>(new Rpc(spec, endpoint.value(), RunNonce(values)));
}

Result<std::unique_ptr<Workload>> MakeReloadStorm(const ReloadStormSpec& spec,
                                                  const PlaceholderValues& values,
                                                  const NetworkPolicy& policy) {
  auto endpoint = ResolveEndpoint(spec.address, values, policy);
  if (!endpoint.ok()) return endpoint.error();
  return std::unique_ptr<Workload>(new ReloadStorm(spec, endpoint.value(), RunSeed(values)));
}

Result<std::unique_ptr<Workload>> MakeHttpLoad(const HttpLoadSpec& spec,
                                               const PlaceholderValues& values,
                                               const NetworkPolicy& policy) {
  auto endpoint = ResolveEndpoint(spec.address, values, policy);
  if (!endpoint.ok()) return endpoint.error();
  HttpRequestTemplate request{spec.method, "", endpoint.value().display, {}, "", ""};
  for (auto [text, out] : {std::pair{&spec.path, &request.path},
                           {&spec.body, &request.body},
                           {&spec.expect_body, &request.expect_body}}) {
    auto expanded = ExpandPlaceholders(*text, values, true);
    if (!expanded.ok()) return expanded.error();
    *out = expanded.value();
  }
  for (const auto& [name, value] : spec.headers) {
    auto expanded = ExpandPlaceholders(value, values, true);
    if (!expanded.ok()) return expanded.error();
    request.headers[name] = expanded.value();
  }
  return std::unique_ptr<Workload>(new HttpLoad(spec, endpoint.value(), std::move(request)));
}

struct Maker {
  const PlaceholderValues& values;
  const NetworkPolicy& policy;
  Result<std::unique_ptr<Workload>> operator()(const ParallelRequestsSpec& spec) const {
    return MakeParallelRequests(spec, values, policy);
  }
  Result<std::unique_ptr<Workload>> operator()(const PingPongSpec& spec) const {
    return MakePingPong(spec, values, policy);
  }
  Result<std::unique_ptr<Workload>> operator()(const RpcSpec& spec) const {
    return MakeRpc(spec, values, policy);
  }
  Result<std::unique_ptr<Workload>> operator()(const ReloadStormSpec& spec) const {
    return MakeReloadStorm(spec, values, policy);
  }
  Result<std::unique_ptr<Workload>> operator()(const HttpLoadSpec& spec) const {
    return MakeHttpLoad(spec, values, policy);
  }
  Result<std::unique_ptr<Workload>> operator()(const LineScriptSpec& spec) const {
    auto endpoint = ResolveEndpoint(spec.address, values, policy);
    if (!endpoint.ok()) return endpoint.error();
    LineScriptSpec expanded = spec;
    for (auto& step : expanded.steps) {
      auto send = ExpandPlaceholders(step.send, values, true);
      if (!send.ok()) return send.error();
      step.send = send.value();
    }
    return std::unique_ptr<Workload>(new LineScript(std::move(expanded), endpoint.value()));
  }
  Result<std::unique_ptr<Workload>> operator()(const ClientRunSpec&) const {
    return InvalidInput("the client-run workload runs a target to its end: RunScenario drives it");
  }
  Result<std::unique_ptr<Workload>> operator()(const StartStopSpec&) const {
    return InvalidInput("the start-stop workload restarts its targets: RunScenario drives it");
  }
};

}  // namespace

Result<std::unique_ptr<Workload>> MakeWorkload(const WorkloadSpec& spec,
                                               const PlaceholderValues& values,
                                               const NetworkPolicy& policy) {
  return std::visit(Maker{values, policy}, spec);
}

}  // namespace stampede
