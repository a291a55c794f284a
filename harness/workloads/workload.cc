#include "workloads/workload.h"

#include "workloads/loopback_policy.h"
#include "workloads/parallel_requests.h"

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

}  // namespace

Result<std::unique_ptr<Workload>> MakeWorkload(const WorkloadSpec& spec,
                                               const PlaceholderValues& values,
                                               const NetworkPolicy& policy) {
  return std::visit(
      [&](const auto& concrete) { return MakeParallelRequests(concrete, values, policy); }, spec);
}

}  // namespace stampede
