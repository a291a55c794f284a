// http-client: fires N parallel HTTP/1.1 GET requests at a loopback URL, one thread per request,
// all released at once, and exits 0 when every response is 2xx. A sample target of the stampede
// harness (scenario kind client-run).
//
//   http-client --url http://127.0.0.1:PORT/PATH [--requests N] [--timeout-ms T]
//               [--bug none|unsafe-uri-cache]
//
// Request i goes to the URL with "seq=i" added to its query. Every URL a request uses is parsed
// through one UriCache shared by all the threads (locked by default; --bug unsafe-uri-cache
// drops the lock and the process corrupts its heap and crashes; if that leaves a thread looping
// in the corrupted table, the client aborts 5 s after the request deadline). Exit codes: 0 all
// requests got a 2xx answer; 1 some did not (one line per failure on stderr, then a summary); 2 bad
// usage (including a URL whose host is not loopback).
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <latch>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "flags.h"
#include "http_get.h"
#include "uri.h"
#include "uri_cache.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kUsage =
    "usage: http-client --url http://127.0.0.1:PORT/PATH [--requests N] [--timeout-ms T]\n"
    "                   [--bug none|unsafe-uri-cache]\n"
    "  --url U         http URL on a loopback host: 127.0.0.0/8, [::1] or localhost;\n"
    "                  request i goes to U with seq=i added to its query\n"
    "  --requests N    parallel requests, one thread each, released at once (default 200,\n"
    "                  1..2000)\n"
    "  --timeout-ms T  deadline of every request, connect to last byte (default 10000)\n"
    "  --bug M         none (default, correct); unsafe-uri-cache: the URI cache shared by the\n"
    "                  request threads loses its lock, so parallel requests corrupt the heap\n"
    "                  and the client crashes (SIGSEGV or SIGABRT)\n"
    "exit codes: 0 every response was 2xx; 1 some request failed; 2 bad usage\n";

struct Options {
  std::string url;
  int requests = 200;
  int timeout_ms = 10000;
  UriCache::Locking locking = UriCache::Locking::kMutex;
};

// Applies one "--flag value" pair; returns false if the flag or its value is not valid.
bool ApplyFlag(std::string_view flag, std::string_view value, Options* options) {
  std::optional<int> number;
  if (flag == "--url") {
    options->url = value;
  } else if (flag == "--requests" && (number = ParseInt(value, 1, 2000))) {
    options->requests = *number;
  } else if (flag == "--timeout-ms" && (number = ParseInt(value, 1, 3600 * 1000))) {
    options->timeout_ms = *number;
  } else if (flag == "--bug" && (value == "none" || value == "unsafe-uri-cache")) {
    options->locking = value == "none" ? UriCache::Locking::kMutex : UriCache::Locking::kNone;
  } else {
    return false;
  }
  return true;
}

// Parses argv and checks the URL. Returns nullopt after printing a message.
std::optional<Options> ParseFlags(int argc, char** argv) {
  Options options;
  auto apply = [&options](std::string_view flag, std::string_view value) {
    return ApplyFlag(flag, value, &options);
  };
  if (!ParseFlagPairs(argc, argv, "http-client", kUsage, apply)) return std::nullopt;
  if (options.url.empty()) {
    std::fprintf(stderr, "http-client: --url is required\n%s", kUsage);
    return std::nullopt;
  }
  UriParse parse = ParseUri(options.url);
  if (!parse.uri) {
    std::fprintf(stderr, "http-client: --url %s: %s\n%s", options.url.c_str(), parse.error.c_str(),
                 kUsage);
    return std::nullopt;
  }
  return options;
}

// One request as a user agent makes it: every URL it touches goes through the shared cache, as
// an agent parses them: the request URL (to build the request), its origin (the key of the
// connection and of the proxy check), the base URL (to resolve against), the request URL again
// (cookie jar, before sending), then the request URL (base of the response) and the origin
// (cookie jar, after the response). Returns "" when the answer was 2xx, else what went wrong.
std::string RunRequest(const Options& options, int seq, UriCache* cache) {
  Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(options.timeout_ms);
  std::string url = WithSeq(options.url, seq);
  std::shared_ptr<const UriParse> request = cache->Lookup(url);
  if (!request->uri) return "bad url " + url + ": " + request->error;
  std::string origin = request->uri->Origin();
  cache->Lookup(origin);
  cache->Lookup(options.url);
  cache->Lookup(url);
  GetResult result = HttpGet(*request->uri, deadline);
  cache->Lookup(url);
  cache->Lookup(origin);
  if (!result.error.empty()) return result.error;
  if (result.status < 200 || result.status > 299) return "status " + std::to_string(result.status);
  return "";
}

// Counts the request threads that have finished, so that main can wait for them with a deadline.
class FinishLine {
 public:
  explicit FinishLine(size_t runners) : left_(runners) {}

  void Cross() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (--left_ == 0) all_crossed_.notify_one();
  }

  // Waits until every runner has crossed or `deadline` passes; returns how many have not.
  size_t WaitUntil(Clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    all_crossed_.wait_until(lock, deadline, [this] { return left_ == 0; });
    return left_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable all_crossed_;
  size_t left_;  // Guarded by mutex_.
};

// Every request ends by its deadline, so a thread still running kStuckGrace later is stuck
// outside any I/O (e.g. looping in a corrupted hash table): the client reports it and aborts
// rather than hang forever.
constexpr std::chrono::milliseconds kStuckGrace{5000};

[[noreturn]] void AbortStuck(size_t stuck, const Options& options) {
  std::fprintf(stderr,
               "http-client: %zu request threads still running %lld ms after the %d ms request "
               "deadline (stuck outside I/O); aborting\n",
               stuck, static_cast<long long>(kStuckGrace.count()), options.timeout_ms);
  std::abort();
}

// Runs every request on its own thread; the threads wait on a latch until all exist, so the
// requests really run at once. Each thread writes only its own slot of the result.
std::vector<std::string> RunInParallel(const Options& options, UriCache* cache) {
  auto count = static_cast<size_t>(options.requests);
  std::vector<std::string> errors(count);
  std::latch start(options.requests + 1);
  FinishLine finish(count);
  std::vector<std::thread> threads;
  threads.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    try {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        errors[i] = RunRequest(options, static_cast<int>(i), cache);
        finish.Cross();
      });
    } catch (const std::system_error& error) {
      errors[i] = std::string("cannot start a thread: ") + error.what();
      start.count_down();
      finish.Cross();
    }
  }
  start.count_down();
  Clock::time_point deadline =
      Clock::now() + std::chrono::milliseconds(options.timeout_ms) + kStuckGrace;
  if (size_t stuck = finish.WaitUntil(deadline); stuck > 0) AbortStuck(stuck, options);
  for (std::thread& thread : threads) thread.join();
  return errors;
}

// Prints one line per failed request and a summary; returns the exit code (0 or 1).
int Report(const std::vector<std::string>& errors) {
  size_t failed = 0;
  for (size_t i = 0; i < errors.size(); ++i) {
    if (errors[i].empty()) continue;
    std::fprintf(stderr, "http-client: request %zu: %s\n", i, errors[i].c_str());
    ++failed;
  }
  if (failed > 0) {
    std::fprintf(stderr, "http-client: %zu of %zu requests failed\n", failed, errors.size());
    return 1;
  }
  std::printf("http-client: %zu of %zu requests succeeded\n", errors.size(), errors.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (PrintUsageIfAsked(argc, argv, kUsage)) return 0;
  std::optional<Options> options = ParseFlags(argc, argv);
  if (!options) return 2;
  UriCache cache(options->locking);
  return Report(RunInParallel(*options, &cache));
}
