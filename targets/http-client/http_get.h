// One HTTP/1.1 GET over a fresh loopback TCP connection ("Connection: close"), bounded by a
// deadline. Blocking socket calls, each preceded by poll() so that no step outlives the deadline.
#pragma once

#include <chrono>
#include <string>

#include "uri.h"

struct GetResult {
  int status = 0;     // The response's status code, 0 if none was read.
  std::string error;  // Empty on success (a complete status line read, whatever the code); else
                      // what failed, e.g. "connect: Connection refused".
};

// Connects to uri.address, sends "GET <target> HTTP/1.1" with Host and Connection: close, reads
// the response until the server closes the connection (at most 1 MiB) and parses its status
// line. Fails with a message when any step fails or `deadline` passes. Thread-safe.
GetResult HttpGet(const Uri& uri, std::chrono::steady_clock::time_point deadline);

// The status code of a response that starts with "HTTP/1.x NNN", or 0.
int ParseStatusLine(const std::string& response);
