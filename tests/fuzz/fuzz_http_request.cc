// Fuzzes http::ParseRequest (harness/protocols/http_request.h) as a server uses it: requests
// parsed one after another off the front of the input (pipelining), each checked against
// the parser's contract, and QueryParameter over each request's target.
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "protocols/http_request.h"

namespace {

using stampede::http::ParseRequest;
using stampede::http::Request;
using stampede::http::RequestStatus;

// A request occupies 1..size bytes, the same bytes alone parse to the same request, and one
// byte less is only the beginning of it: however the reads split a request, the server
// waits for the rest instead of refusing it.
void CheckRequest(std::string_view input, const Request& request) {
  FUZZ_CHECK(request.consumed > 0 && request.consumed <= input.size());
  FUZZ_CHECK(!request.method.empty() && !request.target.empty());
  FUZZ_CHECK(request.minor_version >= 0 && request.minor_version <= 9);
  const auto alone = ParseRequest(input.substr(0, request.consumed));
  FUZZ_CHECK(alone.status == RequestStatus::kRequest && alone.consumed == request.consumed);
  FUZZ_CHECK(alone.method == request.method && alone.target == request.target);
  FUZZ_CHECK(alone.keep_alive == request.keep_alive);
  const auto prefix = ParseRequest(input.substr(0, request.consumed - 1));
  FUZZ_CHECK(prefix.status == RequestStatus::kIncomplete);
}

// A parameter's value is a piece of the target.
void CheckQuery(const std::string& target) {
  for (std::string_view name : {"seq", "", "a"}) {
    const auto value = stampede::http::QueryParameter(target, name);
    FUZZ_CHECK(value.size() < target.size());
    FUZZ_CHECK(target.find(value) != std::string::npos);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = stampede::fuzz::AsText(data, size);
  for (;;) {
    const auto request = ParseRequest(input);
    if (request.status != RequestStatus::kRequest) {
      FUZZ_CHECK(request.consumed == 0);
      FUZZ_CHECK((request.status == RequestStatus::kError) == !request.error.empty());
      break;
    }
    CheckRequest(input, request);
    CheckQuery(request.target);
    input.remove_prefix(request.consumed);
  }
  return 0;
}
