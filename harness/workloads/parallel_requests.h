// The `parallel-requests` workload: bursts of HTTP requests released at once through
// libcurl's multi interface (one event loop, no thread per request), each carrying a
// unique sequence number in its URL ({seq}) and in an X-Stampede-Seq header.
#pragma once

#include <string>

#include "workloads/parallel_requests_spec.h"
#include "workloads/workload.h"

namespace stampede {

class ParallelRequests : public Workload {
 public:
  // `url_template` has every run-time placeholder expanded except {seq}.
  ParallelRequests(ParallelRequestsSpec spec, std::string url_template);
  void Run(OpRecorder& recorder, const std::stop_token& stop) override;

 private:
  // Runs one burst; false when `stop` cut it short.
  bool RunRound(int round, OpRecorder& recorder, const std::stop_token& stop);

  ParallelRequestsSpec spec_;
  std::string url_template_;
  void* multi_ = nullptr;  // CURLM*, kept across rounds so connections are reused
};

}  // namespace stampede
