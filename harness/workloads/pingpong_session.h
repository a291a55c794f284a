// One connection of the `pingpong` workload: sends numbered requests, each carrying a token
// unique in the run, and checks that every reply echoes the token of the request it answers.
//
// Replies on a connection come back in request order (RESP and line protocols both promise
// this), so the n-th reply answers the n-th request. Every exchange becomes an invoke and one
// completion in the history: ok with expected/got (the mismatch checker compares them), or
// fail/info when the connection ended first. A reply that arrives with no request outstanding
// is recorded as an ok completion of seq -1 whose expected value, "(no request outstanding)",
// cannot match.
#pragma once

#include <deque>
#include <string>

#include "history/history.h"
#include "workloads/pingpong_spec.h"
#include "workloads/send_schedule.h"
#include "workloads/tcp_client_engine.h"
#include "workloads/workload.h"

namespace stampede {

class PingPongSession : public ClientSession {
 public:
  // `connection` numbers the connection (also its client id); `nonce` makes tokens and keys
  // unique to the run; `start_ns` is the origin of an open-loop load's schedule, shared by its
  // connections (see SendSchedule::OpenLoop). The references must outlive the session.
  PingPongSession(const PingPongSpec& spec, int connection, std::string nonce, OpRecorder& recorder,
                  WorkloadProgress& progress, std::int64_t start_ns = 0);

  void Produce(std::int64_t now_ns, std::string& out) override;
  Result<std::size_t> Consume(std::string_view in) override;
  void Abandon(OpType type, const std::string& why) override;
  bool Finished() const override;
  std::int64_t NextSendNs() const override;
  std::optional<std::int64_t> OldestOutstandingNs() const override;

 private:
  struct Outstanding {
    std::int64_t seq = 0;
    const char* f = "";
    std::string expected;
    std::int64_t invoked_ns = 0;
  };

  // Appends request number `seq` to `out` and returns what its reply must be.
  Outstanding Encode(std::int64_t seq, std::string& out) const;
  // Parses one reply at the front of `in`: its rendering and length, 0 when incomplete.
  Result<std::pair<std::string, std::size_t>> ParseOne(std::string_view in) const;
  // Completes the oldest outstanding request with `got` at monotonic time `now_ns`; false when
  // none was outstanding.
  bool Complete(std::string got, std::int64_t now_ns);
  // Records the invoke of `request` at its invoked_ns, due at `intended_ns` (-1: not on a
  // schedule).
  void Invoke(const Outstanding& request, std::int64_t intended_ns);
  bool HasRequestsLeft() const { return spec_.requests == 0 || next_seq_ < spec_.requests; }

  const PingPongSpec& spec_;
  int connection_;
  std::string nonce_;
  std::string token_prefix_;  // "<nonce>:<connection>:", before each request's seq
  OpRecorder& recorder_;
  WorkloadProgress& progress_;
  std::deque<Outstanding> outstanding_;
  std::int64_t next_seq_ = 0;  // requests [0, next_seq_) have been invoked
  std::int64_t answered_ = 0;  // requests completed by a reply
  SendSchedule schedule_;
};

}  // namespace stampede
