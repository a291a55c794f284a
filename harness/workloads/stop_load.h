// The load a start-stop cycle leaves on its targets when it asks them to stop: connections
// idle after one answered request, connections with a request in flight, connections that
// never sent a byte. A graceful stop must close the first, answer the second and cope with
// the third.
//
// Every request is an operation in the history: client 1 + its connection's index, seq the
// cycle, f "GET /" (http) or "PING" (resp); a silent connection is one operation "connect".
//   idle:   ok on an answer; fail on an error status or reply, a refused or broken
//           connection, garbage, or no answer within timeout_ms.
//   busy:   the same, except that a connection closed or left unanswered after the stop is a
//           fail only when busy_must_answer, else info.
//   silent: ok once connected; fail when the connection is refused.
//
// Threading: one thread at a time; FinishBusy may run on another thread than Open once Open
// has returned (the cycle stops the targets meanwhile).
#pragma once

#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "history/history.h"
#include "workloads/start_stop_spec.h"
#include "workloads/tcp_client_engine.h"

namespace stampede {

class StopLoad {
 public:
  StopLoad(const StopLoadSpec& spec, const TcpEndpoint& endpoint, int cycle);
  ~StopLoad();  // closes every connection still open
  StopLoad(const StopLoad&) = delete;
  StopLoad& operator=(const StopLoad&) = delete;

  // Opens every connection, sends the idle and busy requests and waits for the idle ones'
  // answers. Returns false when an operation failed.
  bool Open(OpRecorder& recorder, const std::stop_token& stop);

  // Waits for the busy requests' answers (each until answered, closed, or timeout_ms after it
  // was sent) and records them. Returns false when an operation failed.
  bool FinishBusy(OpRecorder& recorder, const std::stop_token& stop);

 private:
  enum class Role { kIdle, kBusy, kSilent };
  struct Connection;

  void Connect(Connection& connection, OpRecorder& recorder);
  void Send(Connection& connection, OpRecorder& recorder);
  // Reads until every connection of `role` still waiting is answered, ended or timed out.
  void AwaitAnswers(Role role, OpRecorder& recorder, const std::stop_token& stop);
  void ReadFrom(Connection& connection, OpRecorder& recorder);
  // Completes the connection's request as ok when `input` holds a whole good answer, as fail
  // when it holds a bad one or garbage; returns false while the answer is incomplete.
  bool JudgeAnswer(Connection& connection, bool at_eof, OpRecorder& recorder);
  void Complete(Connection& connection, OpType type, std::string got, std::string error,
                OpRecorder& recorder);
  // The request ended without an answer (`why`); fail or info by role and busy_must_answer.
  void Unanswered(Connection& connection, const std::string& why, OpRecorder& recorder);

  const StopLoadSpec spec_;
  const TcpEndpoint endpoint_;
  const int cycle_;
  std::vector<std::unique_ptr<Connection>> connections_;
  bool failed_ = false;
};

}  // namespace stampede
