#include "workloads/pingpong_session.h"

#include <fmt/format.h>

#include <charconv>

#include "core/clock.h"
#include "protocols/resp_reply.h"

namespace stampede {
namespace {

constexpr std::size_t kMaxLineBytes = 64 * 1024;
constexpr const char* kNoRequest = "(no request outstanding)";

}  // namespace

PingPongSession::PingPongSession(const PingPongSpec& spec, int connection, std::string nonce,
                                 OpRecorder& recorder, WorkloadProgress& progress,
                                 std::int64_t start_ns)
    : spec_(spec),
      connection_(connection),
      nonce_(std::move(nonce)),
      token_prefix_(fmt::format("{}:{}:", nonce_, connection_)),
      recorder_(recorder),
      progress_(progress),
      schedule_(SendSchedule::For(spec.rate, std::int64_t{spec.pace_us} * 1000, spec.connections,
                                  connection, start_ns)) {}

PingPongSession::Outstanding PingPongSession::Encode(std::int64_t seq, std::string& out) const {
  std::string token = token_prefix_;
  char digits[24];
  token.append(digits, std::to_chars(digits, digits + sizeof digits, seq).ptr);
  if (spec_.protocol == PingPongProtocol::kLine) {
    out += token;
    out += '\n';
    return {seq, "LINE", std::move(token), 0};
  }
  if (spec_.mode == PingPongMode::kPing) {
    const std::string_view args[] = {"PING", token};
    resp::AppendCommand(args, out);
    return {seq, "PING", std::move(token), 0};
  }
  // set-get: even requests SET a key of their own, the next one GETs it back.
  const std::int64_t pair = seq / 2;
  const std::string key = fmt::format("stampede:{}:{}:{}", nonce_, connection_, pair);
  const std::string value = fmt::format("v-{}-{}-{}", connection_, pair, nonce_);
  if (seq % 2 == 0) {
    const std::string_view args[] = {"SET", key, value};
    resp::AppendCommand(args, out);
    return {seq, "SET", "OK", 0};
  }
  const std::string_view args[] = {"GET", key};
  resp::AppendCommand(args, out);
  return {seq, "GET", value, 0};
}

void PingPongSession::Invoke(const Outstanding& request, std::int64_t intended_ns) {
  recorder_.RecordAt({OpType::kInvoke, 0, connection_, connection_, request.seq, request.f,
                      request.expected, "", "", "", intended_ns},
                     request.invoked_ns);
}

void PingPongSession::Produce(std::int64_t now_ns, std::string& out) {
  std::int64_t sent = 0;  // progress is published once per call: atomics are not free
  while (HasRequestsLeft() && outstanding_.size() < static_cast<std::size_t>(spec_.pipeline)) {
    const auto slot = schedule_.Take(now_ns);
    if (!slot) break;
    Outstanding request = Encode(next_seq_++, out);
    request.invoked_ns = now_ns;
    Invoke(request, schedule_.open_loop() ? *slot : -1);
    ++sent;
    outstanding_.push_back(std::move(request));
  }
  if (sent > 0) progress_.in_flight += sent;
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
  const bool plain =
      parsed.reply.type == resp::ReplyType::kSimple || parsed.reply.type == resp::ReplyType::kBulk;
  return std::pair<std::string, std::size_t>{
      plain ? std::move(parsed.reply.text) : resp::Render(parsed.reply), parsed.consumed};
}

bool PingPongSession::Complete(std::string got, std::int64_t now_ns) {
  if (outstanding_.empty()) {
    recorder_.RecordAt(
        {OpType::kOk, 0, connection_, connection_, -1, "(none)", kNoRequest, std::move(got), ""},
        now_ns);
    return false;
  }
  Outstanding request = std::move(outstanding_.front());
  outstanding_.pop_front();
  ++answered_;
  recorder_.RecordAt({OpType::kOk, 0, connection_, connection_, request.seq, request.f,
                      std::move(request.expected), std::move(got), ""},
                     now_ns);
  return true;
}

Result<std::size_t> PingPongSession::Consume(std::string_view in) {
  std::size_t consumed = 0;
  std::int64_t answered = 0;
  const std::int64_t now_ns = MonotonicNanos();  // the replies of one read arrived together
  Status status;
  while (consumed < in.size()) {
    auto reply = ParseOne(in.substr(consumed));
    if (!reply.ok()) {
      status = reply.error();
      break;
    }
    if (reply.value().second == 0) break;
    consumed += reply.value().second;
    if (Complete(std::move(reply.value().first), now_ns)) ++answered;
  }
  if (answered > 0) {  // published once per call: atomics are not free
    progress_.done += answered;
    progress_.in_flight -= answered;
  }
  if (!status.ok()) return status.error();
  return consumed;
}

void PingPongSession::Abandon(OpType type, const std::string& why) {
  if (outstanding_.empty() && HasRequestsLeft()) {
    std::string never_sent;
    Outstanding next = Encode(next_seq_++, never_sent);
    next.invoked_ns = MonotonicNanos();
    Invoke(next, -1);
    ++progress_.in_flight;
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
  return !HasRequestsLeft() && outstanding_.empty();
}

std::int64_t PingPongSession::NextSendNs() const {
  const bool can_send =
      HasRequestsLeft() && outstanding_.size() < static_cast<std::size_t>(spec_.pipeline);
  return can_send ? schedule_.NextNs() : 0;
}

std::optional<std::int64_t> PingPongSession::OldestOutstandingNs() const {
  if (outstanding_.empty()) return std::nullopt;
  return outstanding_.front().invoked_ns;
}

}  // namespace stampede
