// A scenario's load streams as a run drives them, and what judging needs to know of them.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "scenario/scenario.h"

namespace stampede {

// The scenario's `loads`, or its one `workload` as an unnamed stream; none for a client-run
// (the client under test is the load).
std::vector<StreamSpec> ScenarioStreams(const Scenario& scenario);

// The names of the streams that reconnect (their failures while a target is down on purpose are
// not errors).
std::set<std::string> ReconnectingStreams(const Scenario& scenario);

// Each stream with an open-loop rate: its name ("" for the single workload) and the rate asked
// for, in operations per second.
std::vector<std::pair<std::string, double>> AskedRates(const Scenario& scenario);

}  // namespace stampede
