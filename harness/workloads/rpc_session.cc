#include "workloads/rpc_session.h"

#include <fmt/format.h>

#include <algorithm>

#include "protocols/rpc_frame.h"

namespace stampede {
namespace {

const char* MethodName(std::uint16_t method) {
  switch (method) {
    case rpc::kEcho:
      return "echo";
    case rpc::kReverse:
      return "reverse";
    case rpc::kUpper:
      return "upper";
    default:
      return "unknown";
  }
}

// "NONCE/CONNECTION/SEQ" padded with '.' to `bytes`: unique in the run, whatever the size.
std::string Payload(const std::string& nonce, int connection, std::uint32_t seq, int bytes) {
  std::string payload = fmt::format("{}/{}/{}", nonce, connection, seq);
  if (payload.size() < static_cast<std::size_t>(bytes)) payload.resize(bytes, '.');
  return payload;
}

}  // namespace

RpcSession::RpcSession(const RpcSpec& spec, int connection, std::vector<int> callers,
                       std::string nonce, OpRecorder& recorder, WorkloadProgress& progress)
    : spec_(spec),
      connection_(connection),
      nonce_(std::move(nonce)),
      recorder_(recorder),
      progress_(progress) {
  for (int id : callers) callers_.push_back({id, 0, false});
}

void RpcSession::StartCall(std::size_t index, std::int64_t now_ns, std::string* out) {
  Caller& caller = callers_[index];
  const std::uint32_t seq = next_seq_++;
  const std::uint16_t method =
      spec_.methods[static_cast<std::size_t>(caller.id + caller.calls_made) % spec_.methods.size()];
  ++caller.calls_made;
  caller.waiting = true;
  rpc::Frame frame{seq, method, 0, Payload(nonce_, connection_, seq, spec_.payload_bytes)};
  Call call{index, seq, MethodName(method), rpc::Apply(method, frame.payload).value_or(""), now_ns};
  recorder_.Record({OpType::kInvoke, 0, caller.id, connection_, seq, call.method,
                    fmt::format("seq={} {}", seq, call.expected), "", ""});
  ++progress_.in_flight;
  if (out != nullptr) rpc::AppendFrame(frame, *out);
  by_expected_.emplace(call.expected, seq);
  in_flight_.emplace(seq, std::move(call));
}

void RpcSession::Produce(std::int64_t now_ns, std::string& out) {
  for (std::size_t i = 0; i < callers_.size(); ++i) {
    if (!callers_[i].waiting && callers_[i].calls_made < spec_.calls) StartCall(i, now_ns, &out);
  }
}

void RpcSession::Complete(std::uint32_t call_seq, std::string got) {
  auto found = in_flight_.find(call_seq);
  Call call = std::move(found->second);
  in_flight_.erase(found);
  by_expected_.erase(call.expected);
  Caller& caller = callers_[call.caller];
  caller.waiting = false;
  ++progress_.done;
  --progress_.in_flight;
  recorder_.Record({OpType::kOk, 0, caller.id, connection_, call_seq, call.method,
                    fmt::format("seq={} {}", call_seq, call.expected), std::move(got), ""});
}

void RpcSession::Answer(const rpc::Frame& reply) {
  const bool error = (reply.flags & rpc::kFlagError) != 0;
  const std::uint32_t reply_seq = reply.seq;
  std::string got = fmt::format("seq={} {}{}", reply_seq, error ? "error: " : "", reply.payload);
  auto owner = error ? by_expected_.end() : by_expected_.find(reply.payload);
  if (owner != by_expected_.end()) return Complete(owner->second, got);
  if (in_flight_.count(reply_seq) > 0) return Complete(reply_seq, got);
  std::string expected = reply_seq < next_seq_
                             ? fmt::format("(seq {} already answered)", reply_seq)
                             : fmt::format("(no call in flight with seq {})", reply_seq);
  recorder_.Record(
      {OpType::kOk, 0, -1, connection_, reply_seq, "(none)", std::move(expected), got, ""});
}

Result<std::size_t> RpcSession::Consume(std::string_view in) {
  std::size_t consumed = 0;
  while (consumed < in.size()) {
    auto decoded = rpc::DecodeFrame(in.substr(consumed));
    if (decoded.status == rpc::DecodeStatus::kError) return InvalidInput(decoded.error);
    if (decoded.status == rpc::DecodeStatus::kIncomplete) break;
    consumed += decoded.consumed;
    const rpc::Frame& reply = decoded.frame;
    if ((reply.flags & rpc::kFlagReply) == 0) {
      return InvalidInput(fmt::format("frame seq {} without the reply flag", reply.seq));
    }
    Answer(reply);
  }
  return consumed;
}

void RpcSession::Abandon(OpType type, const std::string& why) {
  if (in_flight_.empty()) {
    for (std::size_t i = 0; i < callers_.size(); ++i) {
      if (callers_[i].calls_made < spec_.calls) {
        StartCall(i, 0, nullptr);
        break;
      }
    }
  }
  std::vector<std::uint32_t> seqs;
  for (const auto& [seq, call] : in_flight_) seqs.push_back(seq);
  std::sort(seqs.begin(), seqs.end());
  for (std::uint32_t seq : seqs) {
    const Call& call = in_flight_.at(seq);
    recorder_.Record({type, 0, callers_[call.caller].id, connection_, seq, call.method,
                      fmt::format("seq={} {}", seq, call.expected), "", why});
    ++progress_.done;
    ++progress_.errors;
    --progress_.in_flight;
  }
  in_flight_.clear();
  by_expected_.clear();
}

bool RpcSession::Finished() const {
  return in_flight_.empty() && std::all_of(callers_.begin(), callers_.end(), [&](const Caller& c) {
           return c.calls_made >= spec_.calls;
         });
}

std::optional<std::int64_t> RpcSession::OldestOutstandingNs() const {
  std::optional<std::int64_t> oldest;
  for (const auto& [seq, call] : in_flight_) {
    if (!oldest || call.invoked_ns < *oldest) oldest = call.invoked_ns;
  }
  return oldest;
}

}  // namespace stampede
