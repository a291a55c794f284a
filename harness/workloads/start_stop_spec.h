// Settings of the `start-stop` workload, as read from a scenario: start every target, put a
// short load on it, stop it, check it exited cleanly and gave its port back; `cycles` times.
#pragma once

#include <string>

#include "scenario/object_reader.h"

namespace stampede {

enum class StopLoadProtocol {
  kHttp,  // GET requests on keep-alive connections; an answer is a 2xx..3xx status
  kResp,  // RESP2 commands (Redis); an answer is any reply but an error
};

// What is open when the stop is requested, per cycle.
struct StopLoadSpec {
  StopLoadProtocol protocol = StopLoadProtocol::kHttp;
  std::string address{};         // "HOST:PORT" template with run-time placeholders
  int idle_connections = 2;      // each made one request, got its answer, and stays open, idle
  int busy_connections = 0;      // each has `busy_request` in flight when the stop is requested
  int silent_connections = 0;    // connected, never sent a byte (a browser's preconnect)
  std::string request{};         // http: a request target ("/"); resp: a command ("PING")
  std::string busy_request{};    // the same, for the busy connections (e.g. "/slow?ms=100")
  bool busy_must_answer = true;  // an in-flight request the stop cuts off is a failure (else info)
  int timeout_ms = 5000;         // an answer later than this is a failure
};

struct StartStopSpec {
  int cycles = 20;
  bool keep_going = false;  // run every cycle even after one failed
  // How long the load is held open, after the idle connections' answers, before the stop is
  // requested. Busy requests are already in flight then: one shorter than this finishes first.
  int hold_ms = 0;
  StopLoadSpec load;
};

// Reads the members of a {"type": "start-stop", ...} object (type already read).
StartStopSpec ReadStartStopSpec(ObjectReader& reader);

}  // namespace stampede
