// The HTTP side of http-server's end-to-end tests (http_server_e2e_test.cc, the backends, and
// http_server_bug_modes_e2e_test.cc, the --bug modes): the server child process and a client
// socket that reads whole responses.
//
// Every server process is owned by a ServerProcess (e2e_support.h), which kills it by its pid
// (SIGKILL) and reaps it if a test ends before it has exited; the child also gets SIGKILL if the
// test process dies (PR_SET_PDEATHSIG). No test leaves a process behind.
#ifndef STAMPEDE_TARGETS_HTTP_SERVER_HTTP_E2E_CLIENT_H_
#define STAMPEDE_TARGETS_HTTP_SERVER_HTTP_E2E_CLIENT_H_

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "e2e_support.h"

namespace http_e2e {

using std::chrono::milliseconds;
using target_test::Clock;

constexpr milliseconds kAnswerTimeout{5000};
constexpr milliseconds kExitTimeout{5000};

// One http-server child process (see e2e_support.h); its stderr holds the drain lines.
class ServerProcess : public target_test::TargetProcess {
 public:
  ServerProcess() : TargetProcess(HTTP_SERVER_PATH) {}
};

struct HttpResponse {
  int status = 0;
  std::string head;  // Status line and headers, up to and including the empty line.
  std::string body;

  std::string Raw() const { return head + body; }
  bool ClosesConnection() const { return head.find("\r\nConnection: close\r\n") != head.npos; }
};

// A blocking HTTP client socket on 127.0.0.1:port with deadline-bounded reads.
class Client : public target_test::LoopbackClient {
 public:
  using LoopbackClient::LoopbackClient;

  // The next response (headers and a Content-Length body), or nullopt if it has not fully
  // arrived within `timeout` or the connection ended first.
  std::optional<HttpResponse> Read(milliseconds timeout = kAnswerTimeout) {
    Clock::time_point deadline = Clock::now() + timeout;
    size_t head_end;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!ReadMore(deadline)) return std::nullopt;
    }
    HttpResponse response;
    response.head = buffer_.substr(0, head_end + 4);
    response.status = std::atoi(response.head.c_str() + std::strlen("HTTP/1.1 "));
    size_t length_at = response.head.find("Content-Length: ");
    size_t length = length_at == std::string::npos
                        ? 0
                        : std::strtoul(response.head.c_str() + length_at + 16, nullptr, 10);
    while (buffer_.size() < head_end + 4 + length) {
      if (!ReadMore(deadline)) return std::nullopt;
    }
    response.body = buffer_.substr(head_end + 4, length);
    buffer_.erase(0, head_end + 4 + length);
    return response;
  }
};

inline std::string Get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) +
         "\r\n";
}

}  // namespace http_e2e

#endif  // STAMPEDE_TARGETS_HTTP_SERVER_HTTP_E2E_CLIENT_H_
