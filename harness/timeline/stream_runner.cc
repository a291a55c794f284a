#include "timeline/stream_runner.h"

#include <condition_variable>

#include "core/clock.h"

namespace stampede {
namespace {

using std::chrono::milliseconds;

// A looping run that had errors (nothing listening, say) starts again no sooner than this.
constexpr milliseconds kMinLoopPeriodAfterErrors{10};

// Sleeps until `until` or a stop request; false when stopped.
bool SleepUntil(MonoClock::time_point until, const std::stop_token& stop) {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  return !wake.wait_until(lock, stop, until, [] { return false; }) && !stop.stop_requested();
}

}  // namespace

StreamRunner::StreamRunner(StreamSpec spec, WorkloadFactory make, HistoryWriter& writer,
                           std::int64_t origin_ns, SpillFiles* spills)
    : spec_(std::move(spec)),
      make_(std::move(make)),
      writer_(writer),
      origin_ns_(origin_ns),
      spills_(spills) {}

StreamRunner::~StreamRunner() {
  stop_.request_stop();
}

void StreamRunner::Start() {
  thread_ = std::jthread([this](std::stop_token) { Body(stop_.get_token()); });
}

void StreamRunner::Body(const std::stop_token& stop) {
  const auto started = MonoClock::now();
  const auto begin = started + milliseconds(spec_.start_ms);
  OpRecorder recorder(writer_, origin_ns_);
  recorder.SetStream(spec_.name);
  if (spills_ != nullptr) {
    if (auto spilled = recorder.SpillTo(*spills_); !spilled.ok()) {
      error_ = spilled.error();
      finished_.store(true, std::memory_order_release);
      return;
    }
  }
  // The duration counts from the stream's start; a timer thread turns it into a stop request.
  std::stop_source run_stop;
  std::stop_callback forward(stop, [&] { run_stop.request_stop(); });
  std::jthread timer;
  if (SleepUntil(begin, stop)) {
    if (spec_.duration_ms > 0) {
      timer = std::jthread(
          [&run_stop, until = begin + milliseconds(spec_.duration_ms)](std::stop_token cancelled) {
            if (SleepUntil(until, cancelled)) run_stop.request_stop();
          });
    }
    while (RunOnce(recorder, run_stop.get_token()) && spec_.loop && !run_stop.stop_requested()) {
      recorder.StartNewClientRange();
      // A run with errors (nothing listening, say) is not repeated in a tight loop.
      if (last_run_had_errors_) {
        SleepUntil(last_run_start_ + kMinLoopPeriodAfterErrors, run_stop.get_token());
      }
    }
  }
  if (timer.joinable()) {
    timer.request_stop();
    timer.join();
  }
  ops_ = recorder.Take();
  finished_.store(true, std::memory_order_release);
}

bool StreamRunner::RunOnce(OpRecorder& recorder, const std::stop_token& stop) {
  last_run_start_ = MonoClock::now();
  auto made = make_();
  if (!made.ok()) {
    error_ = made.error();
    return false;
  }
  std::shared_ptr<Workload> workload = std::move(made.value());
  {
    std::lock_guard lock(mutex_);
    current_ = workload;
  }
  workload->Run(recorder, stop);
  std::lock_guard lock(mutex_);
  const auto& progress = workload->progress();
  earlier_.done += progress.done.load(std::memory_order_relaxed);
  earlier_.errors += progress.errors.load(std::memory_order_relaxed);
  last_run_had_errors_ = progress.errors.load(std::memory_order_relaxed) > 0;
  if (auto figures = workload->Figures(); !figures.is_null()) figures_ = std::move(figures);
  current_.reset();
  if (auto unresponsive = workload->unresponsive()) {
    unresponsive_ = std::move(unresponsive);
    return false;
  }
  return true;
}

StreamProgress TotalProgress(const std::vector<std::unique_ptr<StreamRunner>>& runners) {
  StreamProgress total;
  for (const auto& runner : runners) {
    auto progress = runner->Progress();
    total.done += progress.done;
    total.in_flight += progress.in_flight;
    total.errors += progress.errors;
  }
  return total;
}

std::optional<Unresponsive> StreamRunner::StuckNow() const {
  std::lock_guard lock(mutex_);
  if (!current_ || !current_->progress().stuck.load(std::memory_order_acquire)) return std::nullopt;
  return current_->unresponsive();
}

StreamProgress StreamRunner::Progress() const {
  std::lock_guard lock(mutex_);
  StreamProgress progress = earlier_;
  if (current_) {
    const auto& live = current_->progress();
    progress.done += live.done.load(std::memory_order_relaxed);
    progress.in_flight += live.in_flight.load(std::memory_order_relaxed);
    progress.errors += live.errors.load(std::memory_order_relaxed);
  }
  return progress;
}

std::vector<Operation> StreamRunner::Take() {
  if (thread_.joinable()) thread_.join();
  return std::move(ops_);
}

}  // namespace stampede
