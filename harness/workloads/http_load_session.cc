#include "workloads/http_load_session.h"

#include <fmt/format.h>

#include "protocols/http_response.h"
#include "scenario/placeholders.h"

namespace stampede {
namespace {

constexpr std::size_t kMaxRecordedBody = 256;
constexpr const char* kClosedBeforeAnswer = "closed by the server before any of the answer";

// The body as the history keeps it: whole when it is what was expected (so that the two
// compare equal), else its first kMaxRecordedBody bytes and its length.
std::string RecordedBody(const std::string& body, const std::string& expected) {
  if (body == expected || body.size() <= kMaxRecordedBody) return body;
  return body.substr(0, kMaxRecordedBody) + "... (" + std::to_string(body.size()) + " bytes)";
}

}  // namespace

void AppendHttpRequest(const HttpRequestTemplate& request, const std::string& seq_text,
                       std::string& out) {
  out += request.method;
  out += ' ';
  out += ExpandSeq(request.path, seq_text);
  out += " HTTP/1.1\r\nHost: ";
  out += request.host;
  out += "\r\nUser-Agent: stampede\r\n";
  for (const auto& [name, value] : request.headers) {
    out += name;
    out += ": ";
    out += ExpandSeq(value, seq_text);
    out += "\r\n";
  }
  const std::string body = ExpandSeq(request.body, seq_text);
  if (!body.empty() || request.method == "POST" || request.method == "PUT" ||
      request.method == "PATCH") {
    out += "Content-Length: ";
    out += std::to_string(body.size());
    out += "\r\n";
  }
  out += "\r\n";
  out += body;
}

std::string RenderHttpRequest(const HttpRequestTemplate& request, const std::string& seq_text) {
  std::string out;
  AppendHttpRequest(request, seq_text, out);
  return out;
}

HttpLoadSession::HttpLoadSession(const HttpLoadSpec& spec, const HttpRequestTemplate& request,
                                 int connection, OpRecorder& recorder, WorkloadProgress& progress,
                                 std::int64_t start_ns)
    : spec_(spec),
      request_(request),
      connection_(connection),
      recorder_(recorder),
      progress_(progress),
      f_(request.method + " " + request.path),
      schedule_(SendSchedule::For(spec.rate, std::int64_t{spec.pace_ms} * 1'000'000,
                                  spec.connections, connection, start_ns)) {}

bool HttpLoadSession::MaySend() const {
  if (server_closes_ || ended_) return false;
  if (spec_.requests > 0 && next_seq_ >= spec_.requests) return false;
  return outstanding_.size() < static_cast<std::size_t>(spec_.pipeline);
}

void HttpLoadSession::Produce(std::int64_t now_ns, std::string& out) {
  while (MaySend()) {
    const auto slot = schedule_.Take(now_ns);
    if (!slot) break;
    const std::int64_t seq = next_seq_++;
    const std::string seq_text = std::to_string(std::int64_t{connection_} * 10'000'000 + seq);
    AppendHttpRequest(request_, seq_text, out);
    Outstanding request{
        seq, request_.expect_body.empty() ? "" : ExpandSeq(request_.expect_body, seq_text), now_ns};
    recorder_.Record({OpType::kInvoke, 0, connection_, connection_, seq, f_, request.expected, "",
                      "", "", schedule_.open_loop() ? *slot : -1});
    ++progress_.in_flight;
    outstanding_.push_back(std::move(request));
  }
}

void HttpLoadSession::Complete(const Outstanding& request, OpType type, std::string got,
                               std::string error) {
  recorder_.Record({type, 0, connection_, connection_, request.seq, f_,
                    type == OpType::kOk ? request.expected : "", std::move(got), std::move(error)});
  --progress_.in_flight;
  ++progress_.done;
  if (type != OpType::kOk) ++progress_.errors;
}

Result<std::size_t> HttpLoadSession::Consume(std::string_view in) {
  std::size_t used = 0;
  while (!outstanding_.empty()) {
    auto response = http::ParseResponse(in.substr(used), false);
    partial_ = response.status == http::ParseStatus::kIncomplete && used < in.size();
    if (response.status == http::ParseStatus::kIncomplete) break;
    if (response.status == http::ParseStatus::kError) return InvalidInput(response.error);
    used += response.consumed;
    Outstanding request = std::move(outstanding_.front());
    outstanding_.pop_front();
    ++answered_;
    if (response.code != spec_.expect_status) {
      Complete(request, OpType::kFail, std::to_string(response.code),
               fmt::format("HTTP {}, expected {}", response.code, spec_.expect_status));
    } else {
      Complete(request, OpType::kOk,
               request.expected.empty() ? std::to_string(response.code)
                                        : RecordedBody(response.body, request.expected),
               "");
    }
    if (response.closes) {
      server_closes_ = true;
      break;
    }
  }
  if (outstanding_.empty() && used < in.size()) {
    return InvalidInput("bytes from the server with no request outstanding");
  }
  return used;
}

void HttpLoadSession::Abandon(OpType type, const std::string& why) {
  if (outstanding_.empty()) {
    if (server_closes_ || ended_) return;
    ended_ = true;
    const bool idle_close = why == "connection closed by peer";
    Outstanding next{next_seq_++, "", 0};
    recorder_.Record({OpType::kInvoke, 0, connection_, connection_, next.seq, f_, "", "", ""});
    ++progress_.in_flight;
    Complete(next, idle_close ? OpType::kInfo : type, "",
             idle_close ? "closed by the server while idle" : why);
    return;
  }
  ended_ = true;
  // A keep-alive connection the server closed before a byte of the answer: the request may
  // never have been read (RFC 9112, 9.3.1: clients retry it), so its outcome is unknown.
  // On a connection that has answered before, a close or reset before any byte of the next
  // answer is the keep-alive race: the server gave up the connection without reading it.
  const bool unanswered_close =
      answered_ > 0 && !partial_ &&
      (why == "connection closed by peer" || why == "connection reset by peer");
  while (!outstanding_.empty()) {
    if (unanswered_close) {
      Complete(outstanding_.front(), OpType::kInfo, "", kClosedBeforeAnswer);
    } else {
      Complete(outstanding_.front(), type, "", why);
    }
    outstanding_.pop_front();
  }
}

bool HttpLoadSession::Finished() const {
  if (!outstanding_.empty()) return false;
  return server_closes_ || ended_ || (spec_.requests > 0 && next_seq_ >= spec_.requests);
}

std::int64_t HttpLoadSession::NextSendNs() const {
  return MaySend() ? schedule_.NextNs() : 0;
}

std::optional<std::int64_t> HttpLoadSession::OldestOutstandingNs() const {
  if (outstanding_.empty()) return std::nullopt;
  return outstanding_.front().invoked_ns;
}

}  // namespace stampede
