#include "timeline/nemesis.h"

#include <csignal>
#include <fstream>
#include <sstream>

#include "core/clock.h"
#include "core/signals.h"
#include "supervisor/child_process.h"
#include "timeline/one_shot_request.h"

namespace stampede {
namespace {

using std::chrono::milliseconds;

constexpr std::size_t kMaxRecordedReply = 2048;

std::string Clipped(std::string text) {
  if (text.size() > kMaxRecordedReply) {
    text.resize(kMaxRecordedReply);
    text += "...";
  }
  return text;
}

std::string FirstLines(const std::filesystem::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  std::string text(max_bytes, '\0');
  in.read(text.data(), static_cast<std::streamsize>(max_bytes));
  text.resize(static_cast<std::size_t>(in.gcount()));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

// What a mismatching reply was expected to be, as the mismatch checker shows it.
std::string ExpectedText(const ReplyExpectation& expect) {
  return expect.kind == ReplyExpectation::Kind::kRegex ? "/" + expect.value + "/" : expect.value;
}

}  // namespace

Nemesis::Nemesis(std::vector<ResolvedAction> actions, HistoryWriter& writer, std::int64_t origin_ns,
                 std::filesystem::path run_dir)
    : writer_(writer), origin_ns_(origin_ns), run_dir_(std::move(run_dir)) {
  for (auto& action : actions) {
    const bool waits = !action.spec.schedule.after.empty();
    plans_.push_back({std::move(action), 0, waits ? -1 : 0, false});
  }
  completions_.resize(plans_.size());
}

std::int64_t Nemesis::DueMs(const Plan& plan) const {
  const auto& schedule = plan.action.spec.schedule;
  return plan.start_ms + schedule.at_ms + std::int64_t{plan.fired} * schedule.every_ms;
}

void Nemesis::NoteEvent(const std::string& event, std::int64_t elapsed_ms) {
  for (auto& plan : plans_) {
    if (plan.start_ms < 0 && plan.action.spec.schedule.after == event) plan.start_ms = elapsed_ms;
  }
}

bool Nemesis::AnnounceCompletedActions(std::int64_t elapsed_ms) {
  bool announced = false;
  for (std::size_t i = 0; i < plans_.size(); ++i) {
    auto& plan = plans_[i];
    if (plan.announced || plan.fired < plan.action.spec.schedule.times) continue;
    {
      std::lock_guard lock(mutex_);
      if (completions_[i] < plan.fired) continue;
    }
    plan.announced = true;
    announced = true;
    NoteEvent("action:" + plan.action.spec.name, elapsed_ms);
  }
  return announced;
}

Nemesis::~Nemesis() {
  workers_.clear();  // joins
}

void Nemesis::Record(Operation op) {
  op.time_ns = MonotonicNanos() - origin_ns_;
  op.stream = kNemesisStream;
  std::lock_guard lock(mutex_);
  writer_.Write(std::vector<Operation>{op}, 0);
  ops_.push_back(std::move(op));
}

void Nemesis::Complete(int client, std::int64_t seq, const std::string& f, OpType type,
                       std::string got, std::string error, std::string expected) {
  Record({type, 0, client, -1, seq, f, std::move(expected), Clipped(std::move(got)),
          std::move(error)});
  std::lock_guard lock(mutex_);
  ++completions_[static_cast<std::size_t>(client)];
}

bool Nemesis::Tick(std::int64_t elapsed_ms, TargetControl& control) {
  for (std::size_t i = 0; i < frozen_.size();) {
    if (frozen_[i].thaw_ms <= elapsed_ms) {
      Thaw(frozen_[i], control);
      frozen_.erase(frozen_.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
  if (finished_) return false;
  bool acted = AnnounceCompletedActions(elapsed_ms);
  for (std::size_t i = 0; i < plans_.size(); ++i) {
    auto& plan = plans_[i];
    if (plan.fired < plan.action.spec.schedule.times && plan.start_ms >= 0 &&
        DueMs(plan) <= elapsed_ms) {
      Fire(i, elapsed_ms, control);
      acted = true;
    }
  }
  return acted;
}

void Nemesis::Fire(std::size_t index, std::int64_t elapsed_ms, TargetControl& control) {
  auto& plan = plans_[index];
  const auto& spec = plan.action.spec;
  const std::int64_t seq = plan.fired++;
  const int client = static_cast<int>(index);
  Record({OpType::kInvoke, 0, client, -1, seq, spec.name, "", "", ""});
  auto complete = [&](const Result<std::string>& outcome) {
    if (outcome.ok()) {
      Complete(client, seq, spec.name, OpType::kOk, outcome.value(), "");
    } else {
      Complete(client, seq, spec.name, OpType::kFail, "", outcome.error().message);
    }
  };
  switch (spec.type) {
    case ActionType::kSignal: {
      auto sent = control.Signal(spec.target, spec.signal, spec.group);
      complete(sent.ok() ? Result<std::string>("sent " + SignalName(spec.signal))
                         : Result<std::string>(sent.error()));
      return;
    }
    case ActionType::kFreeze: {
      auto stopped = control.Signal(spec.target, SIGSTOP, true);
      if (!stopped.ok()) return complete(stopped.error());
      frozen_.push_back({index, seq, elapsed_ms + spec.freeze_ms, spec.target});
      return;
    }
    case ActionType::kStop:
      ThawTarget(spec.target, control);
      return complete(control.Stop(spec.target));
    case ActionType::kStart:
      return complete(control.Start(spec.target));
    case ActionType::kRestart: {
      ThawTarget(spec.target, control);
      auto stopped = control.Stop(spec.target);
      if (!stopped.ok()) return complete(stopped);
      auto started = control.Start(spec.target);
      if (!started.ok()) return complete(started);
      return complete(stopped.value() + "; " + started.value());
    }
    case ActionType::kSend:
    case ActionType::kExec:
      RunOnWorker(index, seq);
      return;
    case ActionType::kFault: {
      auto set = control.SetFault(spec.fault, spec.enabled);
      complete(set.ok() ? Result<std::string>(spec.enabled ? "toxics on" : "toxics off")
                        : Result<std::string>(set.error()));
      return;
    }
  }
}

void Nemesis::Thaw(const Freeze& freeze, TargetControl& control) {
  const auto& spec = plans_[freeze.index].action.spec;
  auto resumed = control.Signal(freeze.target, SIGCONT, true);
  const int client = static_cast<int>(freeze.index);
  if (resumed.ok()) {
    Complete(client, freeze.seq, spec.name, OpType::kOk,
             "frozen for " + std::to_string(spec.freeze_ms) + " ms", "");
  } else {
    Complete(client, freeze.seq, spec.name, OpType::kFail, "", resumed.error().message);
  }
}

void Nemesis::ThawTarget(const std::string& target, TargetControl& control) {
  for (std::size_t i = 0; i < frozen_.size();) {
    if (frozen_[i].target == target) {
      Thaw(frozen_[i], control);
      frozen_.erase(frozen_.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
}

void Nemesis::RunOnWorker(std::size_t index, std::int64_t seq) {
  ++busy_workers_;
  std::erase_if(workers_, [](const Worker& worker) { return worker.done->load(); });  // joins
  const ResolvedAction& action = plans_[index].action;  // plans_ never changes size
  const int client = static_cast<int>(index);
  auto done = std::make_shared<std::atomic<bool>>(false);
  workers_.push_back({std::jthread([this, &action, client, seq, done] {
                        if (action.spec.type == ActionType::kSend) {
                          Send(action, client, seq);
                        } else {
                          Exec(action, client, seq);
                        }
                        --busy_workers_;
                        done->store(true);
                      }),
                      done});
}

void Nemesis::Send(const ResolvedAction& action, int client, std::int64_t seq) {
  const auto& send = action.spec.send;
  auto reply = ExchangeOnce(action.endpoint, action.request, send.protocol, send.expect,
                            milliseconds(send.timeout_ms));
  const auto& f = action.spec.name;
  if (!reply.error.empty()) {
    Complete(client, seq, f, OpType::kFail, reply.text, reply.error);
  } else if (!ReplyMatches(send.expect, reply.text)) {
    // expected != got: the mismatch checker reports it with both.
    Complete(client, seq, f, OpType::kOk, reply.text, "", ExpectedText(send.expect));
  } else {
    Complete(client, seq, f, OpType::kOk, reply.text, "");
  }
}

void Nemesis::Exec(const ResolvedAction& action, int client, std::int64_t seq) {
  const auto& exec = action.spec.exec;
  const auto& f = action.spec.name;
  const auto dir = run_dir_ / "actions";
  std::error_code ignored;
  std::filesystem::create_directories(dir, ignored);
  const auto stem = dir / ("action-" + std::to_string(client) + "-" + std::to_string(seq));
  LaunchSpec launch{action.argv, {}, stem.string() + ".stdout", stem.string() + ".stderr"};
  auto child = ChildProcess::Start(launch);
  if (!child.ok()) return Complete(client, seq, f, OpType::kFail, "", child.error().message);
  const auto& exit = child.value()->WaitFor(milliseconds(exec.deadline_ms));
  if (!exit) {
    child.value()->KillGroup();
    child.value()->WaitFor(milliseconds(5000));
    return Complete(client, seq, f, OpType::kFail, FirstLines(launch.stdout_path, 512),
                    "did not finish within " + std::to_string(exec.deadline_ms) + " ms; killed");
  }
  std::string output = FirstLines(launch.stdout_path, 512);
  if (exit->signal) {
    return Complete(client, seq, f, OpType::kFail, output,
                    "killed by " + SignalName(*exit->signal));
  }
  const int code = exit->exit_code.value_or(-1);
  const bool clean =
      std::find(exec.exit_codes.begin(), exec.exit_codes.end(), code) != exec.exit_codes.end();
  if (clean) return Complete(client, seq, f, OpType::kOk, output, "");
  Complete(client, seq, f, OpType::kFail, output,
           "exited with code " + std::to_string(code) + ": " + FirstLines(launch.stderr_path, 256));
}

std::int64_t Nemesis::NextDueMs() const {
  std::int64_t next = -1;
  auto consider = [&](std::int64_t at) { next = next < 0 ? at : std::min(next, at); };
  for (const auto& freeze : frozen_) consider(freeze.thaw_ms);
  if (finished_) return next;
  for (const auto& plan : plans_) {
    if (plan.fired < plan.action.spec.schedule.times && plan.start_ms >= 0) {
      consider(DueMs(plan));
    }
  }
  return next;
}

bool Nemesis::Finished() const {
  if (!frozen_.empty() || busy_workers_.load() > 0) return false;
  if (finished_) return true;
  for (const auto& plan : plans_) {
    if (plan.fired < plan.action.spec.schedule.times) return false;
  }
  return true;
}

void Nemesis::Finish(TargetControl& control) {
  finished_ = true;
  for (const auto& freeze : frozen_) Thaw(freeze, control);
  frozen_.clear();
}

std::vector<Operation> Nemesis::Take() {
  workers_.clear();
  std::lock_guard lock(mutex_);
  return std::exchange(ops_, {});
}

}  // namespace stampede
