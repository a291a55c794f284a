// One keep-alive connection of the `http` workload: sends numbered requests (method, path,
// headers and body from the spec, {seq} replaced by the request's number), optionally paced,
// and judges each response: a status other than expect_status fails the request; with
// expect_body, ok carries expected/got for the mismatch checker.
//
// Responses on a connection come back in request order (HTTP/1.1 pipelining), so the n-th
// response answers the n-th request. A response with "Connection: close" ends the connection
// after it (no further requests); a server that closes the connection while no request is
// outstanding ends it with an `info` record "closed by the server while idle" (legal for
// keep-alive, but visible). On a connection that has answered before, requests the server
// closed or reset it on before any byte of their answer came are `info` too (RFC 9112, 9.3.1:
// the server may never have read them; clients retry them). A close in the middle of an answer,
// or before the first answer of a connection, fails the request.
#pragma once

#include <deque>
#include <string>

#include "history/history.h"
#include "workloads/http_load_spec.h"
#include "workloads/send_schedule.h"
#include "workloads/tcp_client_engine.h"
#include "workloads/workload.h"

namespace stampede {

// The spec with run-time placeholders expanded; {seq} stays for each request.
struct HttpRequestTemplate {
  std::string method;
  std::string path;
  std::string host;  // Host header value, "HOST:PORT"
  std::map<std::string, std::string> headers;
  std::string body;
  std::string expect_body;
};

// The request's bytes for request number `seq_text`.
std::string RenderHttpRequest(const HttpRequestTemplate& request, const std::string& seq_text);
// RenderHttpRequest appended to `out`.
void AppendHttpRequest(const HttpRequestTemplate& request, const std::string& seq_text,
                       std::string& out);

class HttpLoadSession : public ClientSession {
 public:
  // `connection` numbers the connection (also its client id); `start_ns` is the origin of an
  // open-loop load's schedule (see SendSchedule::OpenLoop). References must outlive it.
  HttpLoadSession(const HttpLoadSpec& spec, const HttpRequestTemplate& request, int connection,
                  OpRecorder& recorder, WorkloadProgress& progress, std::int64_t start_ns = 0);

  void Produce(std::int64_t now_ns, std::string& out) override;
  Result<std::size_t> Consume(std::string_view in) override;
  void Abandon(OpType type, const std::string& why) override;
  bool Finished() const override;
  std::int64_t NextSendNs() const override;
  std::optional<std::int64_t> OldestOutstandingNs() const override;

 private:
  struct Outstanding {
    std::int64_t seq = 0;
    std::string expected;  // expect_body for this request; empty when not checked
    std::int64_t invoked_ns = 0;
  };

  bool MaySend() const;
  void Complete(const Outstanding& request, OpType type, std::string got, std::string error);

  const HttpLoadSpec& spec_;
  const HttpRequestTemplate& request_;
  int connection_;
  OpRecorder& recorder_;
  WorkloadProgress& progress_;
  std::string f_;  // "POST /data"
  std::deque<Outstanding> outstanding_;
  std::int64_t next_seq_ = 0;
  SendSchedule schedule_;
  bool server_closes_ = false;  // a response said Connection: close
  bool ended_ = false;          // the connection ended while idle
  bool partial_ = false;        // part of the next response has arrived
  std::int64_t answered_ = 0;   // responses received on this connection
};

}  // namespace stampede
