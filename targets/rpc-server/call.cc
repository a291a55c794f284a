// --bug static-seq reproduces an RPC client that kept its request sequence number in a static
// variable: concurrent callers stamped (and matched) their calls with each other's numbers. Here
// the worker keeps "the seq of the call I am serving" in one process-wide atomic: it is stored
// when a call starts and read back when the reply is stamped. With one call at a time that is
// always the call's own seq; with calls overlapping on several workers the last call to start
// wins, and the others' replies carry its seq. The atomic (relaxed) makes it a logical race, not
// a data race: ThreadSanitizer stays quiet, as it would about the reference bug's mutex-free
// but word-sized counter.
#include "call.h"

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace rpc = stampede::rpc;

namespace {

// --bug static-seq: the seq of "the" call being served, shared by every worker.
std::atomic<std::uint32_t> current_seq{0};

}  // namespace

rpc::Frame ServeCall(const rpc::Frame& request, BugMode bug, const std::function<void()>& process) {
  if (bug == BugMode::kStaticSeq) current_seq.store(request.seq, std::memory_order_relaxed);
  rpc::Frame reply;
  reply.method = request.method;
  reply.flags = rpc::kFlagReply;
  if (std::optional<std::string> result = rpc::Apply(request.method, request.payload)) {
    reply.payload = std::move(*result);
  } else {
    reply.flags |= rpc::kFlagError;
    reply.payload = "unknown method " + std::to_string(request.method);
  }
  process();
  reply.seq =
      bug == BugMode::kStaticSeq ? current_seq.load(std::memory_order_relaxed) : request.seq;
  return reply;
}
