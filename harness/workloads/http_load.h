// The `http` workload: `connections` keep-alive HTTP/1.1 connections on one event loop, each
// sending requests of any method with headers and body, optionally paced, until its request
// count is reached, the server closes it, or the load is stopped (see http_load_session.h).
#pragma once

#include "workloads/http_load_session.h"
#include "workloads/http_load_spec.h"
#include "workloads/tcp_client_engine.h"
#include "workloads/workload.h"

namespace stampede {

class HttpLoad : public Workload {
 public:
  // `request` has the run-time placeholders expanded ({seq} stays).
  HttpLoad(HttpLoadSpec spec, TcpEndpoint endpoint, HttpRequestTemplate request);
  void Run(OpRecorder& recorder, const std::stop_token& stop) override;

 private:
  HttpLoadSpec spec_;
  TcpEndpoint endpoint_;
  HttpRequestTemplate request_;
};

}  // namespace stampede
