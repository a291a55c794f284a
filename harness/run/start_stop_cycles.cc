#include "run/start_stop_cycles.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "checkers/cycles.h"
#include "core/clock.h"
#include "workloads/stop_load.h"

namespace stampede {
namespace {

// One cycle; see the header.
class Cycle {
 public:
  Cycle(const StartStopSpec& spec, const TcpEndpoint& endpoint, const CycleRunContext& context,
        int number, OpRecorder& recorder)
      : spec_(spec),
        endpoint_(endpoint),
        context_(context),
        number_(number),
        recorder_(recorder),
        dir_(context.run_dir / CycleDirName(number, spec.cycles)) {}

  // Returns the problem that failed the cycle, if any.
  std::optional<std::string> Run(const std::vector<ResolvedTarget>& targets,
                                 std::optional<Error>& setup_error,
                                 std::vector<ProcessEvent>& events);
  const std::filesystem::path& dir() const { return dir_; }

 private:
  bool StartAll(Supervisor& supervisor, const std::vector<ResolvedTarget>& targets,
                std::optional<Error>& setup_error);
  // Stops the targets while another thread collects the busy requests' answers.
  bool StopUnderLoad(Supervisor& supervisor, StopLoad& load);
  // Waits `hold` (spec hold_ms), or less when the run is aborted.
  void Hold(std::chrono::milliseconds hold) const;

  const StartStopSpec& spec_;
  const TcpEndpoint& endpoint_;
  const CycleRunContext& context_;
  const int number_;
  OpRecorder& recorder_;
  const std::filesystem::path dir_;
};

std::optional<std::string> Cycle::Run(const std::vector<ResolvedTarget>& targets,
                                      std::optional<Error>& setup_error,
                                      std::vector<ProcessEvent>& events) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) {
    setup_error = EnvironmentError("cannot create " + dir_.string() + ": " + ec.message());
    return setup_error->message;
  }
  bool load_ok = true;
  {
    Supervisor supervisor(context_.writer, context_.origin_ns, dir_, number_);
    supervisor.KeepCores(context_.keep_cores);
    supervisor.ObserveGroups(context_.groups);
    if (StartAll(supervisor, targets, setup_error)) {
      StopLoad load(spec_.load, endpoint_, number_);
      load_ok = load.Open(recorder_, context_.abort);
      Hold(std::chrono::milliseconds(spec_.hold_ms));
      load_ok = StopUnderLoad(supervisor, load) && load_ok;
    } else {
      supervisor.StopAll(context_.abort);
    }
    events = supervisor.events();
  }
  if (auto problem = CycleProblem(events)) return problem;
  if (setup_error) return setup_error->message;
  if (!load_ok) return std::string("a request of the load failed");
  return std::nullopt;
}

bool Cycle::StartAll(Supervisor& supervisor, const std::vector<ResolvedTarget>& targets,
                     std::optional<Error>& setup_error) {
  for (const auto& target : targets) {
    auto outcome = supervisor.Start(target, context_.abort);
    if (!outcome.ok()) {
      setup_error = outcome.error();
      return false;
    }
    if (outcome.value() == StartOutcome::kNotReady && number_ == 1) {
      setup_error = NotReadyError(target, supervisor);
    }
    if (outcome.value() != StartOutcome::kReady) return false;
  }
  return true;
}

void Cycle::Hold(std::chrono::milliseconds hold) const {
  const auto until = MonoClock::now() + hold;
  while (!context_.abort.stop_requested() && MonoClock::now() < until) {
    std::this_thread::sleep_for(
        std::min<MonoClock::duration>(until - MonoClock::now(), std::chrono::milliseconds(20)));
  }
}

bool Cycle::StopUnderLoad(Supervisor& supervisor, StopLoad& load) {
  bool answers_ok = true;
  {
    std::jthread answers([&] { answers_ok = load.FinishBusy(recorder_, context_.abort); });
    supervisor.StopAll(context_.abort);
  }
  return answers_ok;
}

}  // namespace

std::filesystem::path CycleDirName(int cycle, int cycles) {
  const int width = static_cast<int>(std::to_string(cycles).size());
  return std::filesystem::path("cycles") / fmt::format("{:0{}}", cycle, width);
}

CycleRunResult RunStartStopCycles(const StartStopSpec& spec, const TcpEndpoint& load_endpoint,
                                  const std::vector<ResolvedTarget>& targets,
                                  const CycleRunContext& context) {
  CycleRunResult result;
  OpRecorder recorder(context.writer, context.origin_ns);
  bool failed = false;
  for (int number = 1; number <= spec.cycles; ++number) {
    if (context.abort.stop_requested()) break;
    if (MonoClock::now() >= context.deadline) {
      result.timed_out = true;
      break;
    }
    Operation op{OpType::kInvoke, 0, kCycleClient, -1, number, kCycleF, "", "", ""};
    recorder.Record(op);
    Cycle cycle(spec, load_endpoint, context, number, recorder);
    std::vector<ProcessEvent> events;
    std::optional<Error> setup_error;
    auto problem = cycle.Run(targets, setup_error, events);
    result.last_cycle_dir = cycle.dir();
    result.events.insert(result.events.end(), events.begin(), events.end());
    op.type = context.abort.stop_requested() ? OpType::kInfo
              : problem                      ? OpType::kFail
                                             : OpType::kOk;
    op.error = op.type == OpType::kInfo ? "stopped before completion" : problem.value_or("");
    recorder.Record(op);
    if (setup_error) {
      result.setup_error = setup_error;
      break;
    }
    failed = failed || problem.has_value();
    if (failed && !spec.keep_going) break;
  }
  result.ops = recorder.Take();
  return result;
}

}  // namespace stampede
