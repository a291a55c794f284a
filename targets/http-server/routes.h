// The server's routes and the bytes of its responses, shared by both backends so that they
// answer every request identically.
//
//   GET /               200 "hello\n"
//   GET /echo?seq=N     200 body "N", header "X-Seq: N"; 400 if seq is missing or not printable
//   GET /slow?ms=N      200 "slow\n" after N ms (capped at 60000); 400 if ms is not a number
//   GET /shutdown       200 "bye\n", then a graceful stop of the whole server
//   anything else       404; other methods than GET and HEAD on a known path: 405
//   A target that does not match the RFC 3986 origin-form grammar gets 400 (and the connection
//   is closed); one longer than kMaxTargetBytes gets 414.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "http_parser.h"
#include "route_table.h"

class RouteCache;

struct Response {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // Beyond the standard ones.
};

// What a backend must do to answer one request.
struct Reply {
  Response response;
  bool head_only = false;    // HEAD: send the headers of the GET response, no body.
  bool keep_alive = true;    // The request allows the connection to stay open.
  bool http10 = false;       // Persistence must be announced explicitly (Connection: keep-alive).
  int delay_ms = 0;          // Send the response only after this delay (/slow).
  bool stop_server = false;  // Request a graceful stop once the response is queued (/shutdown).
  RoutePin routes;           // The route table the request was routed with.
  const Route* route = nullptr;  // Its route in that table; nullptr for 4xx/5xx without one.
};

// Routes a parsed request. The target is parsed through `cache` (see route_cache.h); this is the
// only use of the cache, and it is thread-safe exactly when the cache is. The path is looked up
// in the current table of `tables` (route_table.h), which the reply pins until it is destroyed.
Reply PrepareReply(const http::Request& request, RouteCache& cache, RouteTables& tables);

// Counts the response on the route that answered it (Route::responses of the pinned table). Call
// once the response has been sent (threads backend) or queued for sending (the event loops).
// With --bug reload-race this is where a request that outlived its table aborts.
void CountResponse(const Reply& reply);

// The reply for a request that could not be parsed; the connection is closed after it.
Reply ErrorReply(int status);

// Whether the connection must be closed once `reply` has been sent. `stopping`: the server is
// stopping gracefully, so no further request will be read on any connection.
bool ClosesConnection(const Reply& reply, bool stopping);

// The complete response bytes (status line, headers with Content-Length, body).
std::string SerializeReply(const Reply& reply, bool stopping);
