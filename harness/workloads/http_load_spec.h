// Settings of the `http` workload (keep-alive HTTP/1.1 connections with any method, headers
// and body, optionally paced), as read from a scenario.
#pragma once

#include <map>
#include <string>

#include "scenario/object_reader.h"

namespace stampede {

struct HttpLoadSpec {
  std::string address{};  // "HOST:PORT" template with run-time placeholders
  int connections = 10;   // keep-alive connections opened at once
  // Requests per connection; 0: no limit (the load's stream must end by duration or with the run).
  int requests = 100;
  int pipeline = 1;  // requests in flight per connection
  int threads = 0;   // load threads the connections are spread over; 0: ResolveLoadThreads
  int pace_ms = 0;   // least time between two requests on a connection; 0: no pacing
  // > 0: open loop at this many requests per second over all connections (SendSchedule), every
  // invoke with its intended time; pacing is then ignored. 0: closed loop.
  double rate = 0;
  int timeout_ms = 5000;   // an unanswered request older than this ends its connection
  bool reconnect = false;  // reopen a lost connection (TcpEngineOptions::reconnect_delay_ms)
  std::string method = "GET";
  std::string path = "/";  // template; {seq} is the request's number, unique in the stream
  std::map<std::string, std::string> headers;  // templates with {seq}
  std::string body;                            // template with {seq}; sent with Content-Length
  int expect_status = 200;  // another status fails the request ("HTTP 503, expected 200")
  // When set (template with {seq}), the body must equal it: a difference is a mismatch.
  std::string expect_body;
};

// Reads the members of a {"type": "http", ...} object (type already read).
HttpLoadSpec ReadHttpLoadSpec(ObjectReader& reader);

}  // namespace stampede
