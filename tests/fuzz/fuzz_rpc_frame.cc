// Fuzzes rpc::DecodeFrame (harness/protocols/rpc_frame.h) as the server and the `rpc`
// workload use it: frames decoded one after another off the front of the input, each checked
// against the decoder's contract, re-encoded and answered with Apply.
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "protocols/rpc_frame.h"

namespace {

using stampede::rpc::DecodeFrame;
using stampede::rpc::DecodeResult;
using stampede::rpc::DecodeStatus;

// A frame occupies its header and payload; encoding it again gives the same bytes, and one
// byte less is only the beginning of it.
void CheckFrame(std::string_view input, const DecodeResult& decoded) {
  FUZZ_CHECK(decoded.consumed == stampede::rpc::kHeaderBytes + decoded.frame.payload.size());
  FUZZ_CHECK(decoded.consumed <= input.size());
  FUZZ_CHECK(decoded.frame.payload.size() <= stampede::rpc::kMaxPayload);
  FUZZ_CHECK((decoded.frame.flags & ~stampede::rpc::kKnownFlags) == 0);
  std::string encoded;
  stampede::rpc::AppendFrame(decoded.frame, encoded);
  FUZZ_CHECK(encoded == input.substr(0, decoded.consumed));
  FUZZ_CHECK(DecodeFrame(input.substr(0, decoded.consumed - 1)).status ==
             DecodeStatus::kIncomplete);
}

// The input ends before the frame its header announces does (or before the header does).
bool IsShort(std::string_view input) {
  if (input.size() < stampede::rpc::kHeaderBytes) return true;
  std::uint64_t length = 0;
  for (std::size_t i = 0; i < 4; ++i) length = (length << 8) | static_cast<std::uint8_t>(input[i]);
  return input.size() < stampede::rpc::kHeaderBytes + length;
}

// The answer to a known method has the payload's length; an unknown method has none.
void CheckApply(const stampede::rpc::Frame& frame) {
  const auto answer = stampede::rpc::Apply(frame.method, frame.payload);
  const bool known = frame.method >= stampede::rpc::kEcho && frame.method <= stampede::rpc::kUpper;
  FUZZ_CHECK(answer.has_value() == known);
  if (answer) FUZZ_CHECK(answer->size() == frame.payload.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = stampede::fuzz::AsText(data, size);
  for (;;) {
    const auto decoded = DecodeFrame(input);
    if (decoded.status != DecodeStatus::kFrame) {
      FUZZ_CHECK(decoded.consumed == 0);
      FUZZ_CHECK((decoded.status == DecodeStatus::kError) == !decoded.error.empty());
      if (decoded.status == DecodeStatus::kIncomplete) FUZZ_CHECK(IsShort(input));
      break;
    }
    CheckFrame(input, decoded);
    CheckApply(decoded.frame);
    input.remove_prefix(decoded.consumed);
  }
  return 0;
}
