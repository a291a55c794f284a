// Common interface between the resp-proxy front end (main.cc) and its two I/O backends.
//
// Every accepted client gets its own connection to the upstream server. Both backends relay the
// client's bytes to the upstream unchanged, and the upstream's replies back reply by reply: they
// decode them as they stream in and send the client each complete one, encoded again (see
// reply_decoder.h), so the client only ever receives whole replies, the same bytes as the
// upstream's when those were canonical RESP2. They differ only in how they wait for I/O:
//   - uring: io_uring, one receive armed per direction, send, then re-arm (backend_uring.cc);
//   - epoll: level-triggered epoll with per-direction buffers (backend_epoll.cc).
// A connection pair is closed as a whole on an error or a reset on either side, or when the
// upstream sends something that is not a RESP2 reply; an orderly EOF from one side is passed on
// as a half-close (shutdown(SHUT_WR)) to the other (a reply cut short by the upstream's EOF is
// dropped), and the pair closes once both directions have ended.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "net.h"
#include "reply_decoder.h"

class StopSignal;

enum class Backend { kUring, kEpoll };
enum class BugMode {
  kNone,
  // uring backend only: after a receive completes, re-arm the receive of the other direction,
  // which already has one pending; the assert(!cd->pending_recv) guard then aborts (SIGABRT).
  kPendingRecv,
  // Both backends: the proxy takes a reply that is still incomplete when a receive from the
  // upstream ends as a whole reply (ReplyDecoder::TakeUnfinished), and its rest, arriving with the
  // next receive, as one more reply. Harmless while every reply arrives in one receive; when the
  // upstream's replies are split across receives, the client gets cut replies and then replies to
  // its earlier requests: wrong answers, not a crash or a hang.
  kSplitReply,
};

// Everything a backend needs. The pointers are borrowed and outlive the Run*Backend call.
struct ProxyContext {
  int listen_fd = -1;          // Listening, non-blocking socket; the backend closes it on stop.
  LoopbackAddress upstream;    // The server every accepted connection is relayed to.
  StopSignal* stop = nullptr;  // SIGINT/SIGTERM; see stop_signal.h.
  BugMode bug = BugMode::kNone;
};

// What one receive from the upstream brought, turned into bytes for the client: the replies it
// completes, encoded again, appended to *to_client. Returns false (after a line on stderr) if the
// upstream sent something that is not RESP2; the pair must then be closed.
//
// --bug split-reply: the proxy assumes that a receive from the upstream ends where a reply ends.
// On loopback it almost always does: a server writes each reply at once and the proxy's receive
// takes all of it. So when a receive ends in the middle of a reply, the proxy takes what it has
// as the whole reply and sends it on (ReplyDecoder::TakeUnfinished: a bulk string cut short, an
// array missing its last elements). The rest of that reply, in the next receive, then completes
// one more reply, which the client takes as the answer to its next request, and every later
// answer on that connection lags behind its request.
inline bool RelayReplies(const ProxyContext& context, ReplyDecoder* decoder,
                         std::string_view received, std::string* to_client) {
  if (!decoder->Feed(received, to_client)) {
    std::fprintf(stderr, "resp-proxy: upstream %s sent something that is not a RESP2 reply (%s)\n",
                 context.upstream.display.c_str(), decoder->error().c_str());
    return false;
  }
  if (context.bug == BugMode::kSplitReply) decoder->TakeUnfinished(to_client);  // The bug.
  return true;
}

// Relay until a stop is requested, then stop: stop accepting, close every connection pair (bytes
// still in flight are dropped) and return. Returns the process exit code: 0 after a stop, 1 on a
// fatal error (already reported on stderr).
int RunUringBackend(const ProxyContext& context);
int RunEpollBackend(const ProxyContext& context);
