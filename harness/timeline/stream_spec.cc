#include "timeline/stream_spec.h"

#include <regex>
#include <set>

#include "history/event.h"

namespace stampede {
namespace {

bool RunsForever(const StreamSpec& stream) {
  if (stream.duration_ms > 0) return false;
  if (stream.loop) return true;
  const auto* http = std::get_if<HttpLoadSpec>(&stream.workload);
  const auto* pingpong = std::get_if<PingPongSpec>(&stream.workload);
  return (http != nullptr && http->requests == 0) ||
         (pingpong != nullptr && pingpong->requests == 0);
}

void CheckWorkloadType(ObjectReader& reader, const StreamSpec& stream) {
  if (std::holds_alternative<StartStopSpec>(stream.workload) ||
      std::holds_alternative<ClientRunSpec>(stream.workload)) {
    reader.Report(reader.ChildPointer("type"),
                  std::string("\"") + WorkloadTypeName(stream.workload) +
                      "\" is a run of its own: use it as the scenario's \"workload\", not in "
                      "\"loads\"");
  }
}

}  // namespace

StreamSpec ReadStreamSpec(ObjectReader& reader) {
  StreamSpec stream;
  if (reader.Required("name", stream.name)) {
    if (!std::regex_match(stream.name, std::regex("[A-Za-z][A-Za-z0-9_-]*"))) {
      reader.Report(reader.ChildPointer("name"),
                    "must start with a letter and hold only letters, digits, '-' and '_'");
    } else if (stream.name == kNemesisStream) {
      reader.Report(reader.ChildPointer("name"), "\"nemesis\" is the name of the actions' stream");
    }
  }
  reader.Optional("start_ms", stream.start_ms);
  reader.Optional("duration_ms", stream.duration_ms);
  reader.Optional("loop", stream.loop);
  reader.Optional("background", stream.background);
  reader.RequireRange("start_ms", stream.start_ms, 0, 86400000);
  reader.RequireRange("duration_ms", stream.duration_ms, 0, 86400000);
  stream.workload = ReadWorkloadSpec(reader);
  CheckWorkloadType(reader, stream);
  if (RunsForever(stream) && !stream.background) {
    reader.Report(reader.pointer(),
                  "this load never ends by itself (loop, or requests 0): give it \"duration_ms\" "
                  "or make it \"background\": true");
  }
  return stream;
}

void CheckStreams(const std::vector<StreamSpec>& streams, bool has_actions, ObjectReader& top) {
  std::set<std::string> names;
  bool ends = has_actions;
  for (std::size_t i = 0; i < streams.size(); ++i) {
    const auto pointer = top.ChildPointer("loads") + "/" + std::to_string(i) + "/name";
    if (!streams[i].name.empty() && !names.insert(streams[i].name).second) {
      top.Report(pointer, "duplicate load name \"" + streams[i].name + "\"");
    }
    ends = ends || !streams[i].background;
  }
  if (!streams.empty() && !ends) {
    top.Report(top.ChildPointer("loads"),
               "every load is \"background\" and no action is scheduled: nothing would end the "
               "run");
  }
}

}  // namespace stampede
