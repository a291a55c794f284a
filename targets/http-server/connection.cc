#include "connection.h"

#include <utility>

#include "net.h"
#include "stop_signal.h"

std::optional<std::chrono::milliseconds> HttpConnection::AnswerRequests(bool stopping) {
  std::optional<std::chrono::milliseconds> delay;
  size_t offset = 0;
  blocked_by_output_ = false;
  while (!delayed_ && !no_more_requests_) {
    if (PendingOutput() >= kMaxOutput) {
      blocked_by_output_ = true;
      break;
    }
    http::ParseResult parsed = http::ParseRequest(std::string_view(in_).substr(offset), resume_at_);
    if (parsed.status == http::ParseStatus::kIncomplete && in_.size() - offset == kMaxInput) {
      parsed.status = http::ParseStatus::kError;  // It can never complete.
      parsed.error_status = 400;
    }
    if (parsed.status == http::ParseStatus::kIncomplete) {
      resume_at_ = parsed.resume_at;
      no_more_requests_ = input_closed_;
      break;
    }
    if (parsed.status == http::ParseStatus::kError) {
      Queue(ErrorReply(parsed.error_status), stopping);
      offset = in_.size();
      break;
    }
    offset += parsed.consumed;
    resume_at_ = 0;
    Reply reply = PrepareReply(parsed.request, cache_, tables_);
    if (reply.delay_ms > 0) {
      delay = std::chrono::milliseconds(reply.delay_ms);
      delayed_ = std::move(reply);
    } else {
      Queue(reply, stopping);
    }
  }
  in_.erase(0, offset);
  return delay;
}

void HttpConnection::ReleaseDelayedReply(bool stopping) {
  if (!delayed_) return;
  Reply reply = std::move(*delayed_);
  delayed_.reset();
  Queue(reply, stopping);
}

void HttpConnection::Queue(const Reply& reply, bool stopping) {
  queued_ += SerializeReply(reply, stopping);
  CountResponse(reply);
  if (ClosesConnection(reply, stopping)) no_more_requests_ = true;
  if (reply.stop_server) stop_.RequestStop();
}

std::string_view HttpConnection::UnsentOutput() {
  if (sent_ == sending_.size()) {
    sending_.clear();
    sent_ = 0;
    sending_.swap(queued_);
  }
  return std::string_view(sending_).substr(sent_);
}

bool HttpConnection::WantsInput() const {
  return !delayed_ && !no_more_requests_ && !input_closed_ && in_.size() < kMaxInput &&
         PendingOutput() < kMaxOutput;
}

bool HttpConnection::ReceiveFrom(int fd) {
  return ReadAvailable(fd, kMaxInput, &in_, &input_closed_);
}

bool HttpConnection::SendTo(int fd) {
  while (!UnsentOutput().empty()) {
    if (!WriteAvailable(fd, &sending_, &sent_)) return false;
    if (!sending_.empty()) return true;  // The socket is full; it is sent once writable again.
  }
  return true;
}
