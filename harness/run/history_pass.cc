#include "run/history_pass.h"

#include <algorithm>
#include <cstdio>
#include <memory>

#include "checkers/hang_checker.h"
#include "checkers/mismatch_checker.h"
#include "history/op_merge.h"

namespace stampede {
namespace {

// Writes operations and process events as JSON lines, interleaved by time (an event before an
// operation of the same time).
class OrderedHistoryFile {
 public:
  OrderedHistoryFile(std::FILE* file, const std::vector<ProcessEvent>& events)
      : file_(file), events_(events) {}

  void Add(const Operation& op) {
    WriteEventsUntil(op.time_ns);
    AppendJsonLine(op, buffer_);
    if (buffer_.size() >= kFlushBytes) Flush();
  }

  // Writes the events still due and what is buffered; false when a write failed.
  bool Finish() {
    WriteEventsUntil(INT64_MAX);
    Flush();
    return !failed_;
  }

 private:
  static constexpr std::size_t kFlushBytes = 256 * 1024;

  void WriteEventsUntil(std::int64_t time_ns) {
    for (; next_event_ < events_.size() && events_[next_event_].time_ns <= time_ns; ++next_event_) {
      buffer_ += nlohmann::json(events_[next_event_])
                     .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      buffer_ += '\n';
    }
  }

  void Flush() {
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) failed_ = true;
    buffer_.clear();
  }

  std::FILE* file_;
  const std::vector<ProcessEvent>& events_;
  std::size_t next_event_ = 0;
  std::string buffer_;
  bool failed_ = false;
};

// Every streaming checker, fed one operation at a time.
struct Tallies {
  explicit Tallies(const HistoryPassOptions& options)
      : stalls(options.stall_ms), errors(options.errors), unanswered(options.unanswered) {}

  void Add(const Operation& op) {
    ++ops;
    last_ns = op.time_ns;
    stalls.Add(op);
    mismatches.Add(op);
    errors.Add(op);
    unanswered.Add(op);
    loads.Add(op);
    if (op.stream.empty() || op.stream == kNemesisStream) return;
    if (current == nullptr || current->first != op.stream) current = &StreamTally(op.stream);
    current->second.Add(op);
  }

  std::pair<std::string, StatsTally>& StreamTally(const std::string& name) {
    for (auto& stream : streams) {
      if (stream->first == name) return *stream;
    }
    streams.push_back(std::make_unique<std::pair<std::string, StatsTally>>(
        name, StatsTally({StatsScope::Kind::kStream, name})));
    return *streams.back();
  }

  std::int64_t ops = 0;
  std::int64_t last_ns = 0;
  StallTally stalls;
  MismatchTally mismatches;
  ErrorTally errors;
  UnansweredTally unanswered;
  StatsTally loads{{StatsScope::Kind::kLoads, ""}};
  std::vector<std::unique_ptr<std::pair<std::string, StatsTally>>> streams;
  std::pair<std::string, StatsTally>* current = nullptr;  // the last operation's stream
};

HistoryPassResult Results(const Tallies& tallies, const std::vector<ProcessEvent>& events) {
  std::int64_t end_ns = tallies.last_ns;
  for (const auto& event : events) end_ns = std::max(end_ns, event.time_ns);
  HistoryPassResult result;
  result.stall = tallies.stalls.Result(end_ns);
  result.mismatch = tallies.mismatches.Result();
  result.errors = tallies.errors.Result();
  result.unanswered = tallies.unanswered.Result();
  result.excused_failures = tallies.errors.excused();
  result.ops = tallies.ops;
  result.loads = tallies.loads.Result();
  for (const auto& stream : tallies.streams) {
    result.streams.emplace_back(stream->first, stream->second.Result());
  }
  return result;
}

}  // namespace

nlohmann::json StatsJson(const HistoryPassResult& pass,
                         const std::vector<std::pair<std::string, double>>& asked_rates) {
  nlohmann::json stats = pass.loads;
  if (!pass.streams.empty()) {
    auto& by_stream = stats["streams"] = nlohmann::json::object();
    for (const auto& [name, figures] : pass.streams) by_stream[name] = figures;
  }
  for (const auto& [name, asked] : asked_rates) {
    nlohmann::json* figures = &stats;
    if (!name.empty()) {
      auto streams = stats.find("streams");
      if (streams == stats.end() || !streams->contains(name)) continue;
      figures = &(*streams)[name];
    }
    (*figures)["rate"] = {{"asked", asked}, {"achieved", (*figures)["throughput_ops_s"]}};
  }
  return stats;
}

Result<HistoryPassResult> RunHistoryPass(const History& in_memory,
                                         const std::vector<std::filesystem::path>& spills,
                                         const HistoryPassOptions& options,
                                         const std::filesystem::path& history_path) {
  std::vector<std::unique_ptr<OpSpillReader>> readers;
  std::vector<std::unique_ptr<OpSource>> owned;
  owned.push_back(std::make_unique<VectorOpSource>(in_memory.ops));
  for (const auto& spill : spills) {
    readers.push_back(std::make_unique<OpSpillReader>());
    if (auto opened = readers.back()->Open(spill); !opened.ok()) return opened.error();
    owned.push_back(std::make_unique<SpillOpSource>(*readers.back()));
  }
  std::vector<OpSource*> sources;
  for (auto& source : owned) sources.push_back(source.get());
  const auto temporary = std::filesystem::path(history_path.string() + ".tmp");
  std::FILE* file = std::fopen(temporary.c_str(), "w");
  if (file == nullptr) return EnvironmentError("cannot create " + temporary.string());
  // Events recorded by several threads may be a little out of order.
  std::vector<ProcessEvent> events = in_memory.processes;
  std::stable_sort(events.begin(), events.end(),
                   [](const auto& a, const auto& b) { return a.time_ns < b.time_ns; });
  OrderedHistoryFile out(file, events);
  Tallies tallies(options);
  MergeByTime(sources, [&](const Operation& op) {
    tallies.Add(op);
    out.Add(op);
  });
  const bool written = out.Finish();
  if (std::fclose(file) != 0 || !written) {
    return EnvironmentError("cannot write " + temporary.string() + " (disk full?)");
  }
  for (std::size_t i = 0; i < readers.size(); ++i) {
    if (readers[i]->truncated()) {
      return EnvironmentError("the operations spilled to " + spills[i].string() +
                              " end in a truncated record");
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, history_path, error);
  if (error)
    return EnvironmentError("cannot replace " + history_path.string() + ": " + error.message());
  return Results(tallies, events);
}

}  // namespace stampede
