// Fuzzes http::ParseResponse (harness/protocols/http_response.h) as a client uses it:
// responses parsed one after another off the front of the input (keep-alive), each checked
// against the parser's contract; at the end of the input the connection closes (at_eof).
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "protocols/http_response.h"

namespace {

using stampede::http::ParseResponse;
using stampede::http::ParseStatus;
using stampede::http::Response;

bool SameResponse(const Response& a, const Response& b) {
  return a.status == b.status && a.code == b.code && a.closes == b.closes && a.body == b.body &&
         a.consumed == b.consumed;
}

// A response occupies 1..size bytes and the same bytes alone parse to the same response. One
// byte less, with the connection open, is only the beginning of it: however the reads split
// a response, the client waits for the rest instead of failing. A response delimited by the
// end of the connection (at_eof) is all of the input.
void CheckResponse(std::string_view input, bool at_eof, const Response& response) {
  FUZZ_CHECK(response.consumed > 0 && response.consumed <= input.size());
  FUZZ_CHECK(response.code >= 100 && response.code <= 999);
  FUZZ_CHECK(response.body.size() < response.consumed);
  FUZZ_CHECK(response.error.empty());
  const auto alone = ParseResponse(input.substr(0, response.consumed), at_eof);
  FUZZ_CHECK(SameResponse(alone, response));
  const auto prefix = ParseResponse(input.substr(0, response.consumed - 1), false);
  FUZZ_CHECK(prefix.status == ParseStatus::kIncomplete);
  const auto open = ParseResponse(input, false);
  if (open.status == ParseStatus::kIncomplete) {
    FUZZ_CHECK(at_eof && response.consumed == input.size());
  } else {
    FUZZ_CHECK(SameResponse(open, response));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = stampede::fuzz::AsText(data, size);
  while (!input.empty()) {
    const auto response = ParseResponse(input, true);
    if (response.status != ParseStatus::kResponse) {
      FUZZ_CHECK(response.status == ParseStatus::kError && !response.error.empty());
      FUZZ_CHECK(response.consumed == 0);
      break;
    }
    CheckResponse(input, true, response);
    input.remove_prefix(response.consumed);
  }
  return 0;
}
