// The reload storm's counts (what it opened, what connected, was refused or answered) and how a
// failed liveness probe is named: its evidence, and the figures of every run.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "workloads/liveness_probe.h"

namespace stampede {

// What the storm did so far: the evidence of a failed probe, and the figures of every run.
struct StormCounts {
  std::int64_t connections = 0;      // opened, preconnects included
  std::int64_t preconnects = 0;      // of those, connections that send nothing
  std::int64_t connected = 0;        // the handshake completed (the kernel's part)
  std::int64_t refused = 0;          // connects refused (nothing listening, or a full backlog)
  std::int64_t never_completed = 0;  // connects still pending when their tab reloaded
  std::int64_t answered = 0;         // requesting ones that got a byte of an answer: accepted
  std::int64_t requests = 0;         // sent
  std::int64_t responses = 0;        // whole answers
  std::int64_t abandoned = 0;        // requests a reload cut off before their whole answer

  void Add(const StormCounts& other) {
    connections += other.connections;
    preconnects += other.preconnects;
    connected += other.connected;
    refused += other.refused;
    never_completed += other.never_completed;
    answered += other.answered;
    requests += other.requests;
    responses += other.responses;
    abandoned += other.abandoned;
  }

  nlohmann::json ToJson() const {
    return {{"connections", connections},
            {"preconnects", preconnects},
            {"connected", connected},
            {"refused", refused},
            {"never_completed", never_completed},
            {"answered", answered},
            {"requests", requests},
            {"responses", responses},
            {"abandoned", abandoned}};
  }
};

// What became of a liveness probe that was not answered: "connect refused", "connect timed
// out" (the handshake never completed: the listen queue is full), "connect failed", "no
// response" (connected and sent, no whole answer in time), "error status", "bad response".
std::string ProbeStage(const ProbeResult& probe);

}  // namespace stampede
