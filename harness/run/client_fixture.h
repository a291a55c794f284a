// A client-run's fixture server as the run uses it: its options from the scenario, and the
// requests it saw as history operations. Pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include "history/event.h"
#include "workloads/client_run_spec.h"
#include "workloads/fixture_server.h"

namespace stampede {

// The fixture's options for `spec`, its random choices seeded with `seed`.
FixtureOptions FixtureOptionsFor(const ClientRunSpec& spec, std::uint64_t seed);

// Each request the fixture saw as an invoke and a completion at the time it was complete
// (relative to `origin_ns`), f "serve METHOD /path" (kFixtureOpPrefix): ok with the status as
// got, or fail "malformed request: why" with got "400" and f "serve (malformed)". The client
// is the fixture's connection, the seq the request's arrival index.
std::vector<Operation> FixtureOperations(const std::vector<SeenRequest>& requests,
                                         std::int64_t origin_ns);

}  // namespace stampede
