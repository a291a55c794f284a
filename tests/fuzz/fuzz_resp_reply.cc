// Fuzzes resp::ParseReply (harness/protocols/resp_reply.h) as a client uses it: replies parsed
// one after another off the front of the input (pipelining), each checked against the
// parser's contract, and the request encoder checked against the parser.
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "protocols/resp_reply.h"

namespace {

using stampede::resp::ParseReply;
using stampede::resp::ParseResult;
using stampede::resp::ParseStatus;
using stampede::resp::Reply;
using stampede::resp::ReplyType;

bool SameReply(const Reply& a, const Reply& b) {
  if (a.type != b.type || a.text != b.text || a.elements.size() != b.elements.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.elements.size(); ++i) {
    if (!SameReply(a.elements[i], b.elements[i])) return false;
  }
  return true;
}

// A reply occupies 1..size bytes, the same bytes alone parse to the same reply, and one
// byte less is only the beginning of it: whatever way a read splits a reply, the client
// waits for the rest instead of failing.
void CheckReply(std::string_view input, const ParseResult& parsed) {
  FUZZ_CHECK(parsed.consumed > 0 && parsed.consumed <= input.size());
  const auto alone = ParseReply(input.substr(0, parsed.consumed));
  FUZZ_CHECK(alone.status == ParseStatus::kReply && alone.consumed == parsed.consumed);
  FUZZ_CHECK(SameReply(alone.reply, parsed.reply));
  FUZZ_CHECK(ParseReply(input.substr(0, parsed.consumed - 1)).status == ParseStatus::kIncomplete);
  (void)stampede::resp::Render(parsed.reply);
}

// AppendCommand's request (an array of bulk strings) parses back to the same arguments.
void CheckCommandRoundTrip(std::string_view input) {
  std::vector<std::string_view> args;
  for (std::size_t at = 0; at < input.size() && args.size() < 8;) {
    auto space = std::min(input.find(' ', at), input.size());
    args.push_back(input.substr(at, space - at));
    at = space + 1;
  }
  std::string request;
  stampede::resp::AppendCommand(args, request);
  const auto parsed = ParseReply(request);
  FUZZ_CHECK(parsed.status == ParseStatus::kReply && parsed.consumed == request.size());
  FUZZ_CHECK(parsed.reply.type == ReplyType::kArray && parsed.reply.elements.size() == args.size());
  for (std::size_t i = 0; i < args.size(); ++i) {
    FUZZ_CHECK(parsed.reply.elements[i].type == ReplyType::kBulk);
    FUZZ_CHECK(parsed.reply.elements[i].text == args[i]);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = stampede::fuzz::AsText(data, size);
  for (;;) {
    const auto parsed = ParseReply(input);
    if (parsed.status != ParseStatus::kReply) {
      FUZZ_CHECK(parsed.consumed == 0);
      FUZZ_CHECK((parsed.status == ParseStatus::kError) == !parsed.error.empty());
      break;
    }
    CheckReply(input, parsed);
    input.remove_prefix(parsed.consumed);
  }
  CheckCommandRoundTrip(stampede::fuzz::AsText(data, size));
  return 0;
}
