// Builders for literal histories in the checker tests (test code only, not in stampede_lib).
// Times are given in milliseconds and stored as nanoseconds, as the history does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "history/event.h"
#include "history/history.h"

namespace stampede::history_test {

inline std::int64_t Ms(std::int64_t ms) {
  return ms * 1'000'000;
}

inline Operation Op(OpType type, std::int64_t ms, int client, std::int64_t seq) {
  Operation op;
  op.type = type;
  op.time_ns = Ms(ms);
  op.client = client;
  op.connection = client;
  op.seq = seq;
  op.f = "GET /echo";
  return op;
}

inline Operation Invoke(std::int64_t ms, int client, std::int64_t seq, std::string expected = "") {
  Operation op = Op(OpType::kInvoke, ms, client, seq);
  op.expected = std::move(expected);
  return op;
}

inline Operation Ok(std::int64_t ms, int client, std::int64_t seq, std::string expected = "",
                    std::string got = "") {
  Operation op = Op(OpType::kOk, ms, client, seq);
  op.expected = std::move(expected);
  op.got = std::move(got);
  return op;
}

inline Operation Fail(std::int64_t ms, int client, std::int64_t seq, std::string error) {
  Operation op = Op(OpType::kFail, ms, client, seq);
  op.error = std::move(error);
  return op;
}

inline Operation Info(std::int64_t ms, int client, std::int64_t seq, std::string error) {
  Operation op = Op(OpType::kInfo, ms, client, seq);
  op.error = std::move(error);
  return op;
}

inline ProcessEvent Event(ProcessAction action, std::int64_t ms, Phase phase,
                          std::string target = "server", int pid = 123) {
  ProcessEvent event;
  event.action = action;
  event.time_ns = Ms(ms);
  event.target = std::move(target);
  event.pid = pid;
  event.phase = phase;
  return event;
}

inline ExitInfo ExitCode(int code) {
  ExitInfo exit;
  exit.exit_code = code;
  return exit;
}

inline ExitInfo KilledBy(int signal_number, bool core_dumped = false) {
  ExitInfo exit;
  exit.signal = signal_number;
  exit.core_dumped = core_dumped;
  return exit;
}

inline ProcessEvent Exited(std::int64_t ms, Phase phase, ExitInfo exit, bool clean = false,
                           bool killed_by_harness = false) {
  ProcessEvent event = Event(ProcessAction::kExited, ms, phase);
  event.exit = exit;
  event.clean = clean;
  event.killed_by_harness = killed_by_harness;
  return event;
}

}  // namespace stampede::history_test
