// The `lines` workload: `connections` raw TCP clients on one event loop, each running the
// spec's script of steps `requests` times. A step sends its text ({seq}: the script run's
// number, unique in the load) and reads as many lines as it expects; each line must equal its
// expected text or match its regex. One step is outstanding per connection at a time.
//
// Every step is an operation: ok with expected/got (the lines joined by "\n"; a line that
// matched its regex stands for itself in `expected`), so the mismatch checker judges them.
#pragma once

#include <optional>
#include <regex>
#include <vector>

#include "workloads/line_script_spec.h"
#include "workloads/send_schedule.h"
#include "workloads/tcp_client_engine.h"
#include "workloads/workload.h"

namespace stampede {

// A step's expectations, regexes compiled once.
struct CompiledStep {
  const LineStep* step;
  std::vector<std::optional<std::regex>> regexes;  // per expected line; nullopt: exact text
  std::string f;                                   // the request's first word, e.g. "set"
};

std::vector<CompiledStep> CompileSteps(const LineScriptSpec& spec);

class LineScriptSession : public ClientSession {
 public:
  // References must outlive the session; `start_ns` is the origin of an open-loop load's
  // schedule (see SendSchedule::OpenLoop).
  LineScriptSession(const LineScriptSpec& spec, const std::vector<CompiledStep>& steps,
                    int connection, OpRecorder& recorder, WorkloadProgress& progress,
                    std::int64_t start_ns = 0);

  void Produce(std::int64_t now_ns, std::string& out) override;
  Result<std::size_t> Consume(std::string_view in) override;
  void Abandon(OpType type, const std::string& why) override;
  bool Finished() const override;
  std::int64_t NextSendNs() const override;
  std::optional<std::int64_t> OldestOutstandingNs() const override;

 private:
  std::int64_t Seq() const;  // of the current step
  std::string SeqText() const;
  void Advance();

  const LineScriptSpec& spec_;
  const std::vector<CompiledStep>& steps_;
  int connection_;
  OpRecorder& recorder_;
  WorkloadProgress& progress_;
  std::int64_t run_ = 0;  // script runs completed
  std::size_t step_ = 0;  // the current step
  bool outstanding_ = false;
  std::int64_t invoked_ns_ = 0;
  SendSchedule schedule_;
};

class LineScript : public Workload {
 public:
  LineScript(LineScriptSpec spec, TcpEndpoint endpoint);
  void Run(OpRecorder& recorder, const std::stop_token& stop) override;

 private:
  LineScriptSpec spec_;
  TcpEndpoint endpoint_;
  std::vector<CompiledStep> steps_;
};

}  // namespace stampede
