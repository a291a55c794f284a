// One RPC call, as a worker of rpc-server serves it: the reply frame for a request frame.
//
// This is where the --bug static-seq mode lives (see call.cc). Thread-safe: any number of
// workers may call ServeCall() at once.
#pragma once

#include <functional>

#include "protocols/rpc_frame.h"

enum class BugMode {
  kNone,
  // The sequence number of "the call being served" is kept in one process-wide variable shared
  // by every worker; the reply is stamped with whatever it holds once the work is done, which is
  // another call's seq whenever calls overlap. Deliberately wrong.
  kStaticSeq,
};

// Returns the reply to `request`: flags kFlagReply, the request's method and seq, and payload
// rpc::Apply(method, payload); for an unknown method, flags kFlagReply | kFlagError and an error
// message as payload. `process` runs between computing the payload and stamping the seq (the
// call's processing time: rpc-server sleeps a random jitter there). With BugMode::kStaticSeq the
// seq comes from the shared variable instead (see above); the payload is still right.
stampede::rpc::Frame ServeCall(const stampede::rpc::Frame& request, BugMode bug,
                               const std::function<void()>& process);
