// Runs one load stream on a thread of its own: waits for its start offset, runs its workload
// (again and again with `loop`), and ends when the workload completes, its duration passes,
// or it is asked to stop. Every operation is recorded with the stream's name.
//
// Threading: the owner (the run's main thread) calls Start, RequestStop, finished, Progress and
// Take; the stream's thread only records through its own OpRecorder.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>

#include "core/status.h"
#include "history/history.h"
#include "timeline/stream_spec.h"
#include "workloads/workload.h"

namespace stampede {

// Builds a fresh workload for one run of the stream.
using WorkloadFactory = std::function<Result<std::unique_ptr<Workload>>()>;

struct StreamProgress {
  std::int64_t done = 0;
  std::int64_t in_flight = 0;
  std::int64_t errors = 0;
};

class StreamRunner {
 public:
  // With `spills`, the stream's operations go to files of it as they are recorded (see
  // OpRecorder::SpillTo) instead of memory; Take then returns none.
  StreamRunner(StreamSpec spec, WorkloadFactory make, HistoryWriter& writer, std::int64_t origin_ns,
               SpillFiles* spills = nullptr);
  // Requests a stop and joins the thread.
  ~StreamRunner();
  StreamRunner(const StreamRunner&) = delete;
  StreamRunner& operator=(const StreamRunner&) = delete;

  // Starts the thread; `start_ms` counts from now.
  void Start();
  void RequestStop() { stop_.request_stop(); }
  // The thread has ended (its operations can be taken).
  bool finished() const { return finished_.load(std::memory_order_acquire); }
  const StreamSpec& spec() const { return spec_; }
  // Figures of the workload run now (the earlier runs of a looping stream included).
  StreamProgress Progress() const;
  // Joins the thread and moves the recorded operations out.
  std::vector<Operation> Take();
  // Set when a workload run ended because a target stopped answering (read after Take).
  const std::optional<Unresponsive>& unresponsive() const { return unresponsive_; }
  // While the workload found a target unresponsive and holds its connections open until it is
  // stopped (WorkloadProgress::stuck): what it found; else nullopt.
  std::optional<Unresponsive> StuckNow() const;
  // The last workload run's Figures() (read after Take); null when it has none.
  const nlohmann::json& figures() const { return figures_; }
  // Set when the workload could not be built or a spill file not created (read after Take).
  const std::optional<Error>& error() const { return error_; }

 private:
  void Body(const std::stop_token& stop);
  // Runs one workload; false when the stream must end.
  bool RunOnce(OpRecorder& recorder, const std::stop_token& stop);

  StreamSpec spec_;
  WorkloadFactory make_;
  HistoryWriter& writer_;
  std::int64_t origin_ns_;
  SpillFiles* spills_;
  std::stop_source stop_;
  std::atomic<bool> finished_{false};
  std::vector<Operation> ops_;  // written by the thread, read after join
  std::optional<Unresponsive> unresponsive_;
  nlohmann::json figures_;  // written by the thread, read after join
  std::optional<Error> error_;
  mutable std::mutex mutex_;
  std::shared_ptr<Workload> current_;                     // guarded by mutex_
  StreamProgress earlier_;                                // guarded by mutex_: runs that ended
  std::chrono::steady_clock::time_point last_run_start_;  // the thread's own
  bool last_run_had_errors_ = false;                      // the thread's own
  std::jthread thread_;
};

// The counters of every stream together.
StreamProgress TotalProgress(const std::vector<std::unique_ptr<StreamRunner>>& runners);

}  // namespace stampede
