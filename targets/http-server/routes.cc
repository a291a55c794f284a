#include "routes.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "request_target.h"
#include "route_cache.h"

namespace {

constexpr int kMaxSlowMs = 60000;
constexpr size_t kMaxSeqLength = 1024;

Response TextResponse(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

const char* ReasonPhrase(int status) {
  static constexpr std::pair<int, const char*> kPhrases[] = {
      {200, "OK"},
      {400, "Bad Request"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {413, "Content Too Large"},
      {414, "URI Too Long"},
      {431, "Request Header Fields Too Large"},
      {501, "Not Implemented"},
      {505, "HTTP Version Not Supported"},
  };
  for (const auto& [code, phrase] : kPhrases) {
    if (code == status) return phrase;
  }
  return "Unknown";
}

// seq is echoed in a header, so it must be printable ASCII without spaces (no header injection).
bool IsValidSeq(const std::string& seq) {
  return !seq.empty() && seq.size() <= kMaxSeqLength &&
         std::all_of(seq.begin(), seq.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

Response Echo(const ParsedTarget& target) {
  const std::string* seq = target.Find("seq");
  if (seq == nullptr || !IsValidSeq(*seq)) return TextResponse(400, "missing or invalid seq\n");
  Response response = TextResponse(200, *seq);
  response.headers.emplace_back("X-Seq", *seq);
  return response;
}

// Parses a non-negative decimal number of milliseconds, capped at kMaxSlowMs; -1 if invalid.
int ParseDelayMs(const std::string* text) {
  if (text == nullptr || text->empty()) return -1;
  long long value = 0;
  for (char c : *text) {
    if (c < '0' || c > '9') return -1;
    value = std::min<long long>(value * 10 + (c - '0'), kMaxSlowMs);
  }
  return static_cast<int>(value);
}

// Fills reply->response (and the delay / stop flags) from the route of `target` in the pinned
// table; false if the path has no route.
bool Dispatch(const ParsedTarget& target, const RoutePin& routes, Reply* reply) {
  const Route* route = routes.get()->Find(target.path);
  if (route == nullptr) return false;
  reply->route = route;
  switch (route->kind) {
    case RouteKind::kHello:
      reply->response = TextResponse(200, "hello\n");
      break;
    case RouteKind::kEcho:
      reply->response = Echo(target);
      break;
    case RouteKind::kSlow: {
      int delay_ms = ParseDelayMs(target.Find("ms"));
      reply->response =
          delay_ms < 0 ? TextResponse(400, "missing or invalid ms\n") : TextResponse(200, "slow\n");
      reply->delay_ms = std::max(delay_ms, 0);
      break;
    }
    case RouteKind::kShutdown:
      reply->response = TextResponse(200, "bye\n");
      reply->stop_server = true;
      reply->keep_alive = false;
      break;
  }
  return true;
}

}  // namespace

Reply PrepareReply(const http::Request& request, RouteCache& cache, RouteTables& tables) {
  Reply reply;
  reply.keep_alive = request.keep_alive;
  reply.http10 = request.minor_version == 0;
  reply.head_only = request.method == "HEAD";
  if (request.target.size() > kMaxTargetBytes) {
    reply.response = TextResponse(414, "URI too long\n");
    return reply;
  }
  std::shared_ptr<const ParsedTarget> target = cache.Lookup(request.target);
  if (!target->valid) {
    reply.response = TextResponse(400, "invalid request target\n");
    reply.keep_alive = false;
    return reply;
  }
  reply.routes = tables.Current();
  if (request.method != "GET" && request.method != "HEAD") {
    Reply probe;
    if (!Dispatch(*target, reply.routes, &probe)) {
      reply.response = TextResponse(404, "not found\n");
      return reply;
    }
    reply.response = TextResponse(405, "method not allowed\n");
    reply.response.headers.emplace_back("Allow", "GET, HEAD");
    return reply;
  }
  if (!Dispatch(*target, reply.routes, &reply)) reply.response = TextResponse(404, "not found\n");
  return reply;
}

void CountResponse(const Reply& reply) {
  if (reply.route == nullptr) return;
  reply.routes.get();  // Checks that the table is still live before touching its route.
  reply.route->responses.fetch_add(1, std::memory_order_relaxed);
}

Reply ErrorReply(int status) {
  Reply reply;
  reply.response = TextResponse(status, std::string(ReasonPhrase(status)) + "\n");
  reply.keep_alive = false;
  return reply;
}

bool ClosesConnection(const Reply& reply, bool stopping) {
  return stopping || !reply.keep_alive;
}

std::string SerializeReply(const Reply& reply, bool stopping) {
  const Response& response = reply.response;
  std::string out =
      "HTTP/1.1 " + std::to_string(response.status) + " " + ReasonPhrase(response.status) + "\r\n";
  out += "Content-Type: text/plain\r\n";
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  if (ClosesConnection(reply, stopping)) {
    out += "Connection: close\r\n";
  } else if (reply.http10) {
    out += "Connection: keep-alive\r\n";
  }
  out += "\r\n";
  if (!reply.head_only) out += response.body;
  return out;
}
