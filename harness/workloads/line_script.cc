#include "workloads/line_script.h"

#include <memory>

#include "core/clock.h"
#include "scenario/placeholders.h"

namespace stampede {
namespace {

constexpr std::size_t kMaxLineBytes = 64 * 1024;

std::string FirstWord(const std::string& text) {
  return text.substr(0, text.find_first_of(" \r\n"));
}

}  // namespace

std::vector<CompiledStep> CompileSteps(const LineScriptSpec& spec) {
  std::vector<CompiledStep> compiled;
  for (const auto& step : spec.steps) {
    CompiledStep one{&step, {}, FirstWord(step.send)};
    for (const auto& line : step.expect) {
      one.regexes.push_back(line.regex ? std::optional<std::regex>(std::regex(line.text))
                                       : std::nullopt);
    }
    compiled.push_back(std::move(one));
  }
  return compiled;
}

LineScriptSession::LineScriptSession(const LineScriptSpec& spec,
                                     const std::vector<CompiledStep>& steps, int connection,
                                     OpRecorder& recorder, WorkloadProgress& progress,
                                     std::int64_t start_ns)
    : spec_(spec),
      steps_(steps),
      connection_(connection),
      recorder_(recorder),
      progress_(progress),
      schedule_(SendSchedule::For(spec.rate, std::int64_t{spec.pace_ms} * 1'000'000,
                                  spec.connections, connection, start_ns)) {}

std::int64_t LineScriptSession::Seq() const {
  return run_ * static_cast<std::int64_t>(steps_.size()) + static_cast<std::int64_t>(step_);
}

std::string LineScriptSession::SeqText() const {
  return std::to_string(std::int64_t{connection_} * 10'000'000 + run_);
}

void LineScriptSession::Produce(std::int64_t now_ns, std::string& out) {
  if (outstanding_ || Finished()) return;
  const auto slot = schedule_.Take(now_ns);
  if (!slot) return;
  out += ExpandSeq(steps_[step_].step->send, SeqText());
  recorder_.Record({OpType::kInvoke, 0, connection_, connection_, Seq(), steps_[step_].f, "", "",
                    "", "", schedule_.open_loop() ? *slot : -1});
  ++progress_.in_flight;
  outstanding_ = true;
  invoked_ns_ = now_ns;
}

Result<std::size_t> LineScriptSession::Consume(std::string_view in) {
  if (!outstanding_) return InvalidInput("bytes from the server with no request outstanding");
  const CompiledStep& step = steps_[step_];
  std::vector<std::string_view> lines;
  std::size_t used = 0;
  while (lines.size() < step.regexes.size()) {
    const auto end = in.find('\n', used);
    if (end == std::string_view::npos) {
      if (in.size() - used > kMaxLineBytes) {
        return InvalidInput("no line end within " + std::to_string(kMaxLineBytes) + " bytes");
      }
      return 0;  // not all the lines yet
    }
    std::string_view line = in.substr(used, end - used);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    used = end + 1;
  }
  std::string expected, got;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string line(lines[i]);
    const auto& regex = step.regexes[i];
    const bool regex_matched = regex && std::regex_match(line, *regex);
    const std::string want = regex ? (regex_matched ? line : "/" + step.step->expect[i].text + "/")
                                   : ExpandSeq(step.step->expect[i].text, SeqText());
    expected += (i ? "\n" : "") + want;
    got += (i ? "\n" : "") + line;
  }
  recorder_.Record({OpType::kOk, 0, connection_, connection_, Seq(), step.f, expected, got});
  --progress_.in_flight;
  ++progress_.done;
  outstanding_ = false;
  Advance();
  return used;
}

void LineScriptSession::Advance() {
  if (++step_ == steps_.size()) {
    step_ = 0;
    ++run_;
  }
}

void LineScriptSession::Abandon(OpType type, const std::string& why) {
  if (!outstanding_) {
    if (Finished()) return;
    recorder_.Record({OpType::kInvoke, 0, connection_, connection_, Seq(), steps_[step_].f});
    ++progress_.in_flight;
  }
  recorder_.Record({type, 0, connection_, connection_, Seq(), steps_[step_].f, "", "", why});
  --progress_.in_flight;
  ++progress_.done;
  ++progress_.errors;
  outstanding_ = false;
  run_ = spec_.requests;  // nothing more on this connection
  step_ = 0;
}

bool LineScriptSession::Finished() const {
  return !outstanding_ && run_ >= spec_.requests;
}

std::int64_t LineScriptSession::NextSendNs() const {
  if (outstanding_ || Finished()) return 0;
  return schedule_.NextNs();
}

std::optional<std::int64_t> LineScriptSession::OldestOutstandingNs() const {
  if (!outstanding_) return std::nullopt;
  return invoked_ns_;
}

LineScript::LineScript(LineScriptSpec spec, TcpEndpoint endpoint)
    : spec_(std::move(spec)), endpoint_(std::move(endpoint)), steps_(CompileSteps(spec_)) {}

void LineScript::Run(OpRecorder& recorder, const std::stop_token& stop) {
  const std::int64_t start_ns = MonotonicNanos();  // the open-loop schedule's origin
  std::vector<std::unique_ptr<LineScriptSession>> sessions;
  std::vector<ClientSession*> driven;
  for (int connection = 0; connection < spec_.connections; ++connection) {
    sessions.push_back(std::make_unique<LineScriptSession>(spec_, steps_, connection, recorder,
                                                           progress_, start_ns));
    driven.push_back(sessions.back().get());
  }
  RunClientSessions(endpoint_, driven, LoadEngineOptions(spec_.timeout_ms, spec_.reconnect), stop);
}

}  // namespace stampede
