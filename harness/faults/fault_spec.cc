#include "faults/fault_spec.h"

#include <algorithm>
#include <array>
#include <regex>

namespace stampede {
namespace {

constexpr std::array<const char*, 7> kToxicNames = {
    "latency", "bandwidth", "slicer", "reset_peer", "blackhole", "slow_close", "limit_data"};

void ReadToxicFields(ObjectReader& reader, ToxicSpec& toxic) {
  switch (toxic.type) {
    case ToxicType::kLatency:
      reader.Required("latency_ms", toxic.latency_ms);
      reader.Optional("jitter_ms", toxic.jitter_ms);
      reader.RequireRange("latency_ms", toxic.latency_ms, 0, 600000);
      reader.RequireRange("jitter_ms", toxic.jitter_ms, 0, 600000);
      break;
    case ToxicType::kBandwidth:
      reader.Required("rate_kbps", toxic.rate_kbps);
      reader.RequireRange("rate_kbps", toxic.rate_kbps, 1, 10000000);
      break;
    case ToxicType::kSlicer:
      reader.Optional("average_size", toxic.average_size);
      reader.Optional("size_variation", toxic.size_variation);
      reader.Optional("delay_us", toxic.delay_us);
      reader.RequireRange("average_size", toxic.average_size, 1, 1 << 20);
      reader.RequireRange("size_variation", toxic.size_variation, 0, 1 << 20);
      reader.RequireRange("delay_us", toxic.delay_us, 0, 10000000);
      if (toxic.size_variation >= toxic.average_size) {
        reader.Report(reader.ChildPointer("size_variation"), "must be less than average_size");
      }
      break;
    case ToxicType::kResetPeer:
      reader.Optional("timeout_ms", toxic.timeout_ms);
      reader.Optional("bytes", toxic.bytes);
      reader.RequireRange("timeout_ms", toxic.timeout_ms, 0, 86400000);
      reader.RequireRange("bytes", toxic.bytes, 0, INT64_MAX);
      break;
    case ToxicType::kBlackhole:
      break;
    case ToxicType::kSlowClose:
      reader.Required("delay_ms", toxic.delay_ms);
      reader.RequireRange("delay_ms", toxic.delay_ms, 0, 600000);
      break;
    case ToxicType::kLimitData:
      reader.Required("bytes", toxic.bytes);
      reader.RequireRange("bytes", toxic.bytes, 1, INT64_MAX);
      break;
  }
}

ToxicSpec ReadToxic(ObjectReader& reader) {
  ToxicSpec toxic;
  std::string type;
  if (!reader.Required("type", type)) {
    reader.SkipRemaining();
    return toxic;
  }
  auto known = std::find(kToxicNames.begin(), kToxicNames.end(), type);
  if (known == kToxicNames.end()) {
    reader.Report(reader.ChildPointer("type"),
                  "unknown toxic \"" + type +
                      "\" (known: latency, bandwidth, slicer, reset_peer, blackhole, slow_close, "
                      "limit_data)");
    reader.SkipRemaining();
    return toxic;
  }
  toxic.type = static_cast<ToxicType>(known - kToxicNames.begin());
  std::string stream = "downstream";
  if (reader.Optional("stream", stream) && stream != "upstream" && stream != "downstream") {
    reader.Report(reader.ChildPointer("stream"),
                  "must be \"upstream\" (client to server) or \"downstream\" (server to client)");
  }
  toxic.stream = stream == "upstream" ? ToxicStream::kUpstream : ToxicStream::kDownstream;
  if (reader.Optional("toxicity", toxic.toxicity) &&
      (toxic.toxicity < 0.0 || toxic.toxicity > 1.0)) {
    reader.Report(reader.ChildPointer("toxicity"), "must be between 0 and 1");
  }
  ReadToxicFields(reader, toxic);
  return toxic;
}

}  // namespace

const char* ToString(ToxicType type) {
  return kToxicNames[static_cast<std::size_t>(type)];
}

FaultSpec ReadFaultSpec(ObjectReader& reader) {
  FaultSpec fault;
  if (reader.Required("name", fault.name) &&
      !std::regex_match(fault.name, std::regex("[A-Za-z][A-Za-z0-9_-]*"))) {
    reader.Report(reader.ChildPointer("name"),
                  "must start with a letter and hold only letters, digits, '-' and '_'");
  }
  reader.Required("upstream", fault.upstream);
  reader.Optional("enabled", fault.enabled);
  const auto* toxics = reader.Array("toxics", true);
  if (toxics == nullptr) return fault;
  for (std::size_t i = 0; i < toxics->size(); ++i) {
    ObjectReader toxic_reader(reader.source(), (*toxics)[i],
                              reader.ChildPointer("toxics") + "/" + std::to_string(i),
                              reader.diagnostics());
    if (!toxic_reader.valid()) continue;
    fault.toxics.push_back(ReadToxic(toxic_reader));
    toxic_reader.Finish();
  }
  return fault;
}

}  // namespace stampede
