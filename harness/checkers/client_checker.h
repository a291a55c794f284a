// Client-run checker: a client under test that failed without crashing, and a fixture server
// that did not see the requests it should have.
//
// The fixture's requests are operations whose f starts with kFixtureOpPrefix ("serve GET /x"):
// ok with got = the status it answered, or fail for a malformed request (which the errors
// checker then counts).
//
// Pure function of its arguments.
#pragma once

#include <cstdint>
#include <vector>

#include "checkers/failure.h"
#include "history/history.h"

namespace stampede {

constexpr const char* kFixtureOpPrefix = "serve ";

struct ClientRunOptions {
  std::int64_t expect_requests = 0;  // 0: any number
};

// kErrors failures, in this order:
//   - every kExited event of a client (IsClientEvent) that is not clean, not a crash
//     (IsCrash) and not a harness kill: summary "client exited with code 1 (pid 12)", evidence
//     exit_code, pid, stderr_tail, stderr_path;
//   - expect_requests > 0 and the fixture's completed requests differ from it: summary "the
//     fixture saw 150 requests, expected 200", evidence expected, seen.
std::vector<Failure> CheckClientRun(const History& history, const ClientRunOptions& options);

}  // namespace stampede
