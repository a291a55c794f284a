// One connection of the `rpc` workload: the callers that share it, each making one call at a
// time, with calls numbered by a per-connection sequence and replies matched by it.
//
// Replies may come in any order. Each reply is attributed to the call its content answers
// (payloads are unique in the run, so the content names the call) and recorded as that
// call's completion with expected "seq=<call's seq> <expected payload>" and got
// "seq=<reply's seq> <payload>": a reply stamped with another call's sequence, or with
// content that belongs to no call, is a mismatch the mismatch checker reports with both
// numbers. A reply whose content belongs to no call in flight completes the call its seq
// names (content mismatch), or else is recorded as seq <reply's seq> with expected
// "(no call in flight with seq N)". Operations use the caller as client.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "history/history.h"
#include "protocols/rpc_frame.h"
#include "workloads/rpc_spec.h"
#include "workloads/tcp_client_engine.h"
#include "workloads/workload.h"

namespace stampede {

class RpcSession : public ClientSession {
 public:
  // `callers` are the caller ids on this connection; `nonce` makes payloads unique to the
  // run. The references must outlive the session.
  RpcSession(const RpcSpec& spec, int connection, std::vector<int> callers, std::string nonce,
             OpRecorder& recorder, WorkloadProgress& progress);

  void Produce(std::int64_t now_ns, std::string& out) override;
  Result<std::size_t> Consume(std::string_view in) override;
  void Abandon(OpType type, const std::string& why) override;
  bool Finished() const override;
  std::int64_t NextSendNs() const override { return 0; }
  std::optional<std::int64_t> OldestOutstandingNs() const override;

 private:
  struct Caller {
    int id = 0;
    int calls_made = 0;
    bool waiting = false;
  };
  struct Call {
    std::size_t caller = 0;  // index into callers_
    std::uint32_t seq = 0;
    const char* method = "";
    std::string expected;  // the reply payload the call must get
    std::int64_t invoked_ns = 0;
  };

  // Starts the next call of callers_[index]; appends its frame to `out` when given.
  void StartCall(std::size_t index, std::int64_t now_ns, std::string* out);
  // Records what `reply` answers (see the file comment).
  void Answer(const rpc::Frame& reply);
  void Complete(std::uint32_t call_seq, std::string got);

  const RpcSpec& spec_;
  int connection_;
  std::string nonce_;
  OpRecorder& recorder_;
  WorkloadProgress& progress_;
  std::vector<Caller> callers_;
  std::uint32_t next_seq_ = 1;
  std::unordered_map<std::uint32_t, Call> in_flight_;           // by seq
  std::unordered_map<std::string, std::uint32_t> by_expected_;  // expected payload -> seq
};

}  // namespace stampede
