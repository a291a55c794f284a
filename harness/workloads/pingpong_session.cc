#include "workloads/pingpong_session.h"

#include <fmt/format.h>

#include "protocols/resp_reply.h"

namespace stampede {
namespace {

constexpr std::size_t kMaxLineBytes = 64 * 1024;
constexpr const char* kNoRequest = "(no request outstanding)";

}  // namespace

PingPongSession::PingPongSession(const PingPongSpec& spec, int connection, std::string nonce,
                                 OpRecorder& recorder, WorkloadProgress& progress)
    : spec_(spec),
      connection_(connection),
      nonce_(std::move(nonce)),
      recorder_(recorder),
      progress_(progress) {}

PingPongSession::Outstanding PingPongSession::Encode(std::int64_t seq, std::string& out) const {
  const std::string token = fmt::format("{}:{}:{}", nonce_, connection_, seq);
  if (spec_.protocol == PingPongProtocol::kLine) {
    out += token;
    out += '\n';
    return {seq, "LINE", token, 0};
  }
  if (spec_.mode == PingPongMode::kPing) {
    resp::AppendCommand({"PING", token}, out);
    return {seq, "PING", token, 0};
  }
  // set-get: even requests SET a key of their own, the next one GETs it back.
  const std::int64_t pair = seq / 2;
  const std::string key = fmt::format("stampede:{}:{}:{}", nonce_, connection_, pair);
  const std::string value = fmt::format("v-{}-{}-{}", connection_, pair, nonce_);
  if (seq % 2 == 0) {
    resp::AppendCommand({"SET", key, value}, out);
    return {seq, "SET", "OK", 0};
  }
  resp::AppendCommand({"GET", key}, out);
  return {seq, "GET", value, 0};
}

void PingPongSession::Invoke(const Outstanding& request) {
  recorder_.Record({OpType::kInvoke, 0, connection_, connection_, request.seq, request.f,
                    request.expected, "", ""});
  ++progress_.in_flight;
}

void PingPongSession::Produce(std::int64_t now_ns, std::string& out) {
  const std::int64_t pace_ns = std::int64_t{spec_.pace_us} * 1000;
  while (next_seq_ < spec_.requests &&
         outstanding_.size() < static_cast<std::size_t>(spec_.pipeline)) {
    if (pace_ns > 0) {
      if (next_send_ns_ == 0) next_send_ns_ = now_ns;
      if (now_ns < next_send_ns_) break;
      next_send_ns_ += pace_ns;
    }
    Outstanding request = Encode(next_seq_++, out);
    request.invoked_ns = now_ns;
    Invoke(request);
    outstanding_.push_back(std::move(request));
  }
}

Result<std::pair<std::string, std::size_t>> PingPongSession::ParseOne(std::string_view in) const {
  if (spec_.protocol == PingPongProtocol::kLine) {
    auto end = in.find('\n');
    if (end == std::string_view::npos) {
      if (in.size() > kMaxLineBytes) {
        return InvalidInput(fmt::format("no line end within {} bytes", kMaxLineBytes));
      }
      return std::pair<std::string, std::size_t>{"", 0};
    }
    std::string_view line = in.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return std::pair<std::string, std::size_t>{std::string(line), end + 1};
  }
  auto parsed = resp::ParseReply(in);
  if (parsed.status == resp::ParseStatus::kError) return InvalidInput(parsed.error);
  if (parsed.status == resp::ParseStatus::kIncomplete) {
    return std::pair<std::string, std::size_t>{"", 0};
  }
  return std::pair<std::string, std::size_t>{resp::Render(parsed.reply), parsed.consumed};
}

void PingPongSession::Complete(std::string got) {
  if (outstanding_.empty()) {
    recorder_.Record(
        {OpType::kOk, 0, connection_, connection_, -1, "(none)", kNoRequest, std::move(got), ""});
    return;
  }
  Outstanding request = std::move(outstanding_.front());
  outstanding_.pop_front();
  ++answered_;
  ++progress_.done;
  --progress_.in_flight;
  recorder_.Record({OpType::kOk, 0, connection_, connection_, request.seq, request.f,
                    std::move(request.expected), std::move(got), ""});
}

Result<std::size_t> PingPongSession::Consume(std::string_view in) {
  std::size_t consumed = 0;
  while (consumed < in.size()) {
    auto reply = ParseOne(in.substr(consumed));
    if (!reply.ok()) return reply.error();
    if (reply.value().second == 0) break;
    consumed += reply.value().second;
    Complete(std::move(reply.value().first));
  }
  return consumed;
}

void PingPongSession::Abandon(OpType type, const std::string& why) {
  if (outstanding_.empty() && next_seq_ < spec_.requests) {
    std::string never_sent;
    Outstanding next = Encode(next_seq_++, never_sent);
    Invoke(next);
    outstanding_.push_back(std::move(next));
  }
  for (Outstanding& request : outstanding_) {
    recorder_.Record({type, 0, connection_, connection_, request.seq, request.f,
                      std::move(request.expected), "", why});
    ++progress_.done;
    ++progress_.errors;
    --progress_.in_flight;
  }
  outstanding_.clear();
}

bool PingPongSession::Finished() const {
  return next_seq_ >= spec_.requests && outstanding_.empty();
}

std::int64_t PingPongSession::NextSendNs() const {
  const bool can_send =
      next_seq_ < spec_.requests && outstanding_.size() < static_cast<std::size_t>(spec_.pipeline);
  return spec_.pace_us > 0 && can_send ? next_send_ns_ : 0;
}

std::optional<std::int64_t> PingPongSession::OldestOutstandingNs() const {
  if (outstanding_.empty()) return std::nullopt;
  return outstanding_.front().invoked_ns;
}

}  // namespace stampede
