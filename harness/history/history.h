// A run's history: what the workloads and the supervisor observed, in the order observed.
//
// Threading: a History is built after the load threads have joined and is then read-only.
// While a run is live, each load thread owns one OpRecorder (no sharing, no locks on the
// hot path); recorders and the supervisor hand records to one HistoryWriter, the only
// shared object, which streams them to history.jsonl.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "history/event.h"
#include "history/op_spill.h"

namespace stampede {

struct History {
  std::vector<Operation> ops;           // sorted by time_ns
  std::vector<ProcessEvent> processes;  // sorted by time_ns

  // Appends `more` and keeps ops sorted by time.
  void MergeOps(std::vector<Operation> more);
};

// Reads a history.jsonl file back (the format HistoryWriter writes).
Result<History> LoadHistory(const std::filesystem::path& path);

// Streams records as JSON lines. Thread-safe; every method may be called concurrently.
// A writer without a file (Open not called) discards records, which tests use.
class HistoryWriter {
 public:
  HistoryWriter() = default;
  ~HistoryWriter();
  HistoryWriter(const HistoryWriter&) = delete;
  HistoryWriter& operator=(const HistoryWriter&) = delete;

  Status Open(const std::filesystem::path& path);
  void Write(const ProcessEvent& event);
  void Write(const std::vector<Operation>& ops, std::size_t from);
  // Flushes buffered lines to the kernel; called at phase boundaries and on abort.
  void Flush();
  // Closes the file; later records are discarded.
  void Close();

 private:
  void WriteLine(const std::string& line);  // requires mutex_

  std::mutex mutex_;
  std::FILE* file_ = nullptr;  // guarded by mutex_
};

// Collects one load thread's operations. Not thread-safe: owned by exactly one thread.
// Times are relative to `origin_ns` (the run's start on the monotonic clock).
class OpRecorder {
 public:
  OpRecorder(HistoryWriter& writer, std::int64_t origin_ns);
  ~OpRecorder();
  OpRecorder(const OpRecorder&) = delete;
  OpRecorder& operator=(const OpRecorder&) = delete;

  // Stamps op.time_ns with the current monotonic time, op.stream with the recorder's stream and
  // shifts op.client by the client offset, and records it. A set op.intended_ns is a monotonic
  // time and is made relative to the run's start like time_ns.
  void Record(Operation op);
  // Record with the monotonic time `now_ns` the caller already read (a batch of replies parsed
  // from one read shares it): one clock read per batch instead of per operation.
  void RecordAt(Operation op, std::int64_t now_ns);
  // Marks every operation recorded from now on as `stream`'s (a scenario's named load).
  void SetStream(std::string stream) { stream_ = std::move(stream); }
  // From now on client ids are shifted past every id recorded so far, so that a workload run
  // again within one stream (a looping load) does not reuse the (client, seq) keys of its
  // earlier runs.
  void StartNewClientRange() { client_offset_ = max_client_ + 1; }
  // Makes room for `count` more operations, for a workload that knows how many it records.
  void Reserve(std::size_t count);
  // From now on operations go to a new file of `files` (which must outlive the recorder)
  // instead of memory and the writer: memory stays constant however many are recorded. Take
  // then returns only what was recorded before. An error when the file cannot be created.
  Status SpillTo(SpillFiles& files);
  // A recorder for another thread of the same workload: the same writer, origin, stream and
  // client range, spilling to a file of its own when this one spills. After that thread has
  // ended, Absorb takes it back.
  std::unique_ptr<OpRecorder> ForThread();
  // Takes in what `other` (made by ForThread, its thread ended) recorded: its operations kept in
  // memory, merged by time, and its client ids (for StartNewClientRange); its spill file is
  // given back for reuse.
  void Absorb(OpRecorder& other);
  // Writes everything not yet streamed.
  void Flush();
  // Flushes and moves the operations recorded in memory out; the recorder is empty afterwards.
  std::vector<Operation> Take();

 private:
  static constexpr std::size_t kFlushEvery = 512;

  HistoryWriter& writer_;
  std::int64_t origin_ns_;
  std::vector<Operation> ops_;
  std::string stream_;
  int client_offset_ = 0;
  int max_client_ = -1;
  std::size_t streamed_ = 0;  // ops_[0, streamed_) are already written
  SpillFiles* spill_files_ = nullptr;
  OpSpillWriter* spill_ = nullptr;
};

}  // namespace stampede
