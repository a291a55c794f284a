// A scenario's `faults`: in-process fault proxies on loopback, each between the loads (or a
// target) and an upstream address, with Toxiproxy's toxics per direction. Whatever connects to
// {NAME.port} reaches the upstream through the proxy.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenario/object_reader.h"

namespace stampede {

enum class ToxicType {
  kLatency,    // each chunk waits latency_ms ± jitter_ms before it is forwarded
  kBandwidth,  // at most rate_kbps KiB per second
  kSlicer,     // chunks cut into pieces of average_size ± size_variation bytes, delay_us apart
  kResetPeer,  // the connection is reset (RST) timeout_ms after it opened, or after `bytes`
  kBlackhole,  // data is read and dropped, never forwarded
  kSlowClose,  // the close is passed on delay_ms late
  kLimitData,  // the connection is closed once `bytes` have been forwarded
};

// Which way the data flows: upstream is client -> server, downstream server -> client.
enum class ToxicStream { kUpstream, kDownstream };

struct ToxicSpec {
  ToxicType type = ToxicType::kLatency;
  ToxicStream stream = ToxicStream::kDownstream;
  double toxicity = 1.0;  // the fraction of connections it applies to (seeded choice)
  int latency_ms = 0;
  int jitter_ms = 0;
  int rate_kbps = 0;
  int average_size = 8;
  int size_variation = 4;
  int delay_us = 0;
  int timeout_ms = 0;
  std::int64_t bytes = 0;
  int delay_ms = 0;
};

struct FaultSpec {
  std::string name;      // {NAME.port} is the proxy's port
  std::string upstream;  // "HOST:PORT" template, loopback unless --allow-remote
  std::vector<ToxicSpec> toxics;
  bool enabled = true;  // toxics on from the start; `fault` actions switch them
};

const char* ToString(ToxicType type);

// Reads one element of `faults`.
FaultSpec ReadFaultSpec(ObjectReader& reader);

}  // namespace stampede
