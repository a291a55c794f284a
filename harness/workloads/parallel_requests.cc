#include "workloads/parallel_requests.h"

#include <curl/curl.h>

#include <memory>
#include <vector>

#include "scenario/placeholders.h"

namespace stampede {
namespace {

constexpr std::size_t kMaxBody = 64 * 1024;
constexpr int kPollMs = 100;

// One request in flight: its easy handle and what came back.
struct Request {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  int client = 0;
  std::int64_t seq = 0;
  std::string body;
  std::string seq_header;  // value of X-Seq in the response
  std::string error_buffer = std::string(CURL_ERROR_SIZE, '\0');
  bool done = false;

  ~Request() {
    curl_slist_free_all(headers);
    if (easy != nullptr) curl_easy_cleanup(easy);
  }
};

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* request = static_cast<Request*>(user);
  std::size_t bytes = size * count;
  if (request->body.size() < kMaxBody) {
    request->body.append(data, std::min(bytes, kMaxBody - request->body.size()));
  }
  return bytes;
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* request = static_cast<Request*>(user);
  std::string_view line(data, size * count);
  constexpr std::string_view kName = "x-seq:";
  if (line.size() > kName.size() &&
      std::equal(kName.begin(), kName.end(), line.begin(),
                 [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); })) {
    auto value = line.substr(kName.size());
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    request->seq_header = std::string(value);
  }
  return size * count;
}

std::string ExpandSeq(const std::string& url_template, std::int64_t seq) {
  auto url = ExpandPlaceholders(url_template, {{"seq", std::to_string(seq)}}, false);
  return url.ok() ? url.value() : url_template;
}

void Configure(Request& request, const std::string& url, int timeout_ms) {
  CURL* easy = request.easy;
  request.headers =
      curl_slist_append(nullptr, ("X-Stampede-Seq: " + std::to_string(request.seq)).c_str());
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, request.headers);
  curl_easy_setopt(easy, CURLOPT_NOPROXY, "*");  // never route through a proxy
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &request);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &request);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, request.error_buffer.data());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, &request);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "stampede");
}

// Turns a finished transfer into the completion operation.
Operation Complete(const Request& request, CURLcode code, const ParallelRequestsSpec& spec) {
  Operation op;
  op.client = request.client;
  op.seq = request.seq;
  op.f = "GET";
  long local_port = -1;
  curl_easy_getinfo(request.easy, CURLINFO_LOCAL_PORT, &local_port);
  op.connection = static_cast<int>(local_port);
  if (code != CURLE_OK) {
    op.type = code == CURLE_OPERATION_TIMEDOUT ? OpType::kInfo : OpType::kFail;
    op.error = request.error_buffer.c_str()[0] != '\0' ? request.error_buffer.c_str()
                                                       : curl_easy_strerror(code);
    if (code == CURLE_OPERATION_TIMEDOUT) {
      op.error = kNoReplyWithin + std::to_string(spec.timeout_ms) + " ms (" + op.error + ")";
    }
    return op;
  }
  long status = 0;
  curl_easy_getinfo(request.easy, CURLINFO_RESPONSE_CODE, &status);
  if (status != spec.expect_status) {
    op.type = OpType::kFail;
    op.error = "HTTP status " + std::to_string(status);
    return op;
  }
  op.type = OpType::kOk;
  if (spec.echo != EchoCheck::kNone) {
    op.expected = std::to_string(request.seq);
    op.got = spec.echo == EchoCheck::kHeader ? request.seq_header : request.body;
    if (op.got.empty()) op.got = "(none)";
  }
  return op;
}

}  // namespace

ParallelRequests::ParallelRequests(ParallelRequestsSpec spec, std::string url_template)
    : spec_(std::move(spec)), url_template_(std::move(url_template)) {}

void ParallelRequests::Run(OpRecorder& recorder, const std::stop_token& stop) {
  std::unique_ptr<CURLM, decltype(&curl_multi_cleanup)> multi(curl_multi_init(),
                                                              curl_multi_cleanup);
  curl_multi_setopt(multi.get(), CURLMOPT_MAXCONNECTS, static_cast<long>(spec_.requests));
  curl_multi_setopt(multi.get(), CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
  curl_multi_setopt(multi.get(), CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_NOTHING));
  multi_ = multi.get();
  for (int round = 0; round < spec_.rounds; ++round) {
    if (!RunRound(round, recorder, stop)) break;
  }
  multi_ = nullptr;
}

bool ParallelRequests::RunRound(int round, OpRecorder& recorder, const std::stop_token& stop) {
  auto* multi = static_cast<CURLM*>(multi_);
  std::vector<std::unique_ptr<Request>> requests;
  for (int i = 0; i < spec_.requests; ++i) {
    auto request = std::make_unique<Request>();
    request->easy = curl_easy_init();
    request->client = i;
    request->seq = static_cast<std::int64_t>(round) * spec_.requests + i;
    Configure(*request, ExpandSeq(url_template_, request->seq), spec_.timeout_ms);
    requests.push_back(std::move(request));
  }
  // Record every invoke before releasing the burst, so the burst leaves at once.
  for (const auto& request : requests) {
    recorder.Record({OpType::kInvoke, 0, request->client, -1, request->seq, "GET", "", "", ""});
    curl_multi_add_handle(multi, request->easy);
  }
  progress_.in_flight += spec_.requests;
  int running = 0;
  do {
    curl_multi_perform(multi, &running);
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      Request* request = nullptr;
      curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &request);
      auto op = Complete(*request, message->data.result, spec_);
      if (op.type != OpType::kOk) ++progress_.errors;
      ++progress_.done;
      --progress_.in_flight;
      recorder.Record(std::move(op));
      request->done = true;
      curl_multi_remove_handle(multi, request->easy);
    }
    if (running > 0) curl_multi_poll(multi, nullptr, 0, kPollMs, nullptr);
  } while (running > 0 && !stop.stop_requested());
  if (running == 0) return true;
  for (const auto& request : requests) {  // cut short: the outcome is unknown
    if (request->done) continue;
    curl_multi_remove_handle(multi, request->easy);
    recorder.Record({OpType::kInfo, 0, request->client, -1, request->seq, "GET", "", "",
                     "stopped before completion"});
  }
  progress_.in_flight = 0;
  return false;
}

}  // namespace stampede
