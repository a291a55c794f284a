#include "run/client_fixture.h"

#include "checkers/client_checker.h"

namespace stampede {

FixtureOptions FixtureOptionsFor(const ClientRunSpec& spec, std::uint64_t seed) {
  FixtureOptions options;
  options.delay_fraction = spec.delay_fraction;
  options.delay_ms = spec.delay_ms;
  options.fail_fraction = spec.fail_fraction;
  options.fail_status = spec.fail_status;
  options.seed = seed;
  return options;
}

std::vector<Operation> FixtureOperations(const std::vector<SeenRequest>& requests,
                                         std::int64_t origin_ns) {
  std::vector<Operation> ops;
  for (const auto& seen : requests) {
    const std::int64_t time = seen.time_ns - origin_ns;
    const std::string path = seen.target.substr(0, seen.target.find('?'));
    const std::string f = std::string(kFixtureOpPrefix) +
                          (seen.error.empty() ? seen.method + " " + path : "(malformed)");
    const int client = seen.connection;
    ops.push_back({OpType::kInvoke, time, client, client, seen.index, f, "", "", ""});
    if (seen.error.empty()) {
      ops.push_back(
          {OpType::kOk, time, client, client, seen.index, f, "", std::to_string(seen.status), ""});
    } else {
      ops.push_back({OpType::kFail, time, client, client, seen.index, f, "", "400",
                     "malformed request: " + seen.error});
    }
  }
  return ops;
}

}  // namespace stampede
