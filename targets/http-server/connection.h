// HttpConnection: the request/response state machine of one keep-alive connection, shared by the
// single-threaded backends (epoll, poll and uring) so that they parse, answer and close alike.
//
// It owns no socket and never waits: the backend feeds it the bytes it received, asks it to
// answer the complete requests, hands the output it returns to the socket, and closes the
// connection once Finished(). Requests pipelined on one connection are answered strictly in
// order: while a /slow reply waits for its delay, no further request is parsed and no input is
// wanted. Both buffers are bounded (kMaxInput, kMaxOutput); a request that cannot be parsed (or
// that cannot fit in kMaxInput) is answered with its error status and ends the connection.
//
// Not thread-safe: one connection belongs to one event-loop thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "http_parser.h"
#include "routes.h"

class RouteCache;
class RouteTables;
class StopSignal;

class HttpConnection {
 public:
  // Unparsed input is never allowed to grow beyond this (a whole largest request fits).
  static constexpr size_t kMaxInput = http::kMaxHeaderBytes + http::kMaxBodyBytes + 16 * 1024;
  // No further request is answered while this much output is waiting to be sent.
  static constexpr size_t kMaxOutput = 1024 * 1024;

  // `cache` and `tables` route the requests; `stop` receives the stop request of GET /shutdown.
  // All are borrowed and must outlive the connection.
  HttpConnection(RouteCache& cache, RouteTables& tables, StopSignal& stop)
      : cache_(cache), tables_(tables), stop_(stop) {}

  // Input. AppendInput() requires bytes.size() <= InputRoom().
  size_t InputRoom() const { return kMaxInput - in_.size(); }
  void AppendInput(std::string_view bytes) { in_.append(bytes); }
  void EndOfInput() { input_closed_ = true; }  // The peer has shut down its sending side.

  // Answers the complete requests at the start of the input, in order, until a reply must wait
  // for a delay, kMaxOutput bytes are waiting to be sent, the connection takes no more requests,
  // or no complete request is left. `stopping`: the server is stopping gracefully, so every reply
  // says "Connection: close". Returns the delay of the reply it has just set aside (GET /slow);
  // the caller must then call ReleaseDelayedReply() once the delay has elapsed.
  std::optional<std::chrono::milliseconds> AnswerRequests(bool stopping);
  // Queues the reply set aside by AnswerRequests(). Call AnswerRequests() next: the requests
  // pipelined behind it are still waiting.
  void ReleaseDelayedReply(bool stopping);
  // Graceful stop: answer no further request. A reply already set aside is still sent.
  void StopTakingRequests() { no_more_requests_ = true; }

  // Output. UnsentOutput() returns the next bytes to send; they stay unchanged in memory until
  // OutputSent() reports them (whatever is answered meanwhile), so an asynchronous send may
  // point at them. Empty when nothing is pending. OutputSent(n): the first n of those bytes have
  // been sent.
  std::string_view UnsentOutput();
  void OutputSent(size_t bytes) { sent_ += bytes; }
  size_t PendingOutput() const { return sending_.size() - sent_ + queued_.size(); }

  // Whether reading more input now is useful and within bounds.
  bool WantsInput() const;
  // Whether the last AnswerRequests() stopped at kMaxOutput: call it again once output is sent.
  bool AnswerBlockedByOutput() const { return blocked_by_output_; }
  // Nothing left to answer or send: the backend should close the connection now.
  bool Finished() const { return no_more_requests_ && !delayed_ && PendingOutput() == 0; }

  // For non-blocking sockets (epoll and poll). ReceiveFrom() reads what `fd` has ready, up to
  // the input bound; SendTo() sends pending output until done or the socket is full. Both return
  // false if the connection failed.
  bool ReceiveFrom(int fd);
  bool SendTo(int fd);

 private:
  void Queue(const Reply& reply, bool stopping);

  RouteCache& cache_;
  RouteTables& tables_;
  StopSignal& stop_;
  std::string in_;  // Unparsed input.
  size_t resume_at_ = 0;
  std::string sending_;  // Output handed out by UnsentOutput(); bytes before sent_ are sent.
  size_t sent_ = 0;
  std::string queued_;            // Output answered after sending_ was handed out.
  std::optional<Reply> delayed_;  // A /slow reply waiting for its delay.
  bool no_more_requests_ = false;
  bool input_closed_ = false;
  bool blocked_by_output_ = false;
};
