#include "faults/fault_proxies.h"

namespace stampede {

Status FaultProxies::Start(const std::vector<FaultSpec>& specs, const std::vector<int>& ports,
                           const PlaceholderValues& values, const NetworkPolicy& policy,
                           std::uint64_t seed) {
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const auto& spec = specs[i];
    auto upstream = ResolveEndpoint(spec.upstream, values, policy);
    if (!upstream.ok()) {
      return Error{upstream.error().kind,
                   "fault \"" + spec.name + "\": " + upstream.error().message};
    }
    const int index = static_cast<int>(i);
    auto proxy =
        FaultProxy::Start(spec, ports[i], upstream.value(), seed + i,
                          [this, index](const std::string& what) { events_.Record(index, what); });
    if (!proxy.ok()) return proxy.error();
    proxies_[spec.name] = std::move(proxy.value());
  }
  return {};
}

Status FaultProxies::SetEnabled(const std::string& name, bool enabled) {
  auto proxy = proxies_.find(name);
  if (proxy == proxies_.end()) return InvalidInput("no fault is named \"" + name + "\"");
  proxy->second->SetEnabled(enabled);
  return {};
}

nlohmann::json FaultProxies::Stop() {
  if (proxies_.empty()) return nullptr;
  auto figures = nlohmann::json::object();
  for (auto& [name, proxy] : proxies_) {
    proxy->Stop();
    figures[name] = proxy->Figures();
  }
  return figures;
}

}  // namespace stampede
