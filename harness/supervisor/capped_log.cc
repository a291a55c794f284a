#include "supervisor/capped_log.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace stampede {
namespace {

constexpr std::int64_t kMarkerRoom = 256;
constexpr auto kTailFlushPeriod = std::chrono::milliseconds(100);

}  // namespace

Result<std::unique_ptr<CappedLog>> CappedLog::Open(const std::filesystem::path& path,
                                                   std::int64_t cap_bytes) {
  int file = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (file < 0)
    return EnvironmentError("cannot create " + path.string() + ": " + std::strerror(errno));
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    close(file);
    return EnvironmentError(std::string("pipe: ") + std::strerror(errno));
  }
  fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  return std::unique_ptr<CappedLog>(new CappedLog(file, fds[0], fds[1], cap_bytes));
}

CappedLog::CappedLog(int file_fd, int read_fd, int write_fd, std::int64_t cap_bytes)
    : file_fd_(file_fd),
      read_fd_(read_fd),
      write_fd_(write_fd),
      head_limit_(std::max<std::int64_t>(cap_bytes - kTailBytes - kMarkerRoom, 0)) {
  thread_ = std::jthread([this](const std::stop_token& stop) {
    auto flushed = std::chrono::steady_clock::now();
    while (!stop.stop_requested()) {
      pollfd ready{read_fd_, POLLIN, 0};
      poll(&ready, 1, static_cast<int>(kTailFlushPeriod.count()));
      std::lock_guard lock(mutex_);
      if (ready.revents != 0 && !ended_ && !Drain()) ended_ = true;
      const auto now = std::chrono::steady_clock::now();
      if (tail_dirty_ && (ended_ || now - flushed >= kTailFlushPeriod)) {
        WriteTail();
        flushed = now;
      }
      if (ended_) return;
    }
  });
}

CappedLog::~CappedLog() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
  Settle();
  CloseWriteEnd();
  close(read_fd_);
  close(file_fd_);
}

void CappedLog::CloseWriteEnd() {
  if (write_fd_ >= 0) close(write_fd_);
  write_fd_ = -1;
}

void CappedLog::Settle() {
  std::lock_guard lock(mutex_);
  if (!ended_ && !Drain()) ended_ = true;
  if (tail_dirty_) WriteTail();
}

std::int64_t CappedLog::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

std::int64_t CappedLog::cut() const {
  std::lock_guard lock(mutex_);
  return received_ - head_ - static_cast<std::int64_t>(tail_.size());
}

bool CappedLog::Drain() {
  std::array<char, 65536> buffer;
  for (;;) {
    ssize_t got = read(read_fd_, buffer.data(), buffer.size());
    if (got > 0) {
      Append(buffer.data(), static_cast<std::size_t>(got));
      continue;
    }
    if (got < 0 && errno == EINTR) continue;
    return got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
}

void CappedLog::Append(const char* data, std::size_t size) {
  received_ += static_cast<std::int64_t>(size);
  const auto to_head = static_cast<std::size_t>(
      std::min<std::int64_t>(static_cast<std::int64_t>(size), head_limit_ - head_));
  if (to_head > 0) {
    // A log that cannot be written loses bytes, never the run.
    if (pwrite(file_fd_, data, to_head, head_) > 0) head_ += static_cast<std::int64_t>(to_head);
    data += to_head;
    size -= to_head;
  }
  const auto capacity = static_cast<std::size_t>(kTailBytes);
  while (size > 0) {
    std::size_t taken;
    if (tail_.size() < capacity) {
      taken = std::min(size, capacity - tail_.size());
      tail_.append(data, taken);
    } else {
      taken = std::min(size, capacity - tail_start_);
      std::memcpy(tail_.data() + tail_start_, data, taken);
      tail_start_ = (tail_start_ + taken) % capacity;
    }
    data += taken;
    size -= taken;
    tail_dirty_ = true;
  }
}

void CappedLog::WriteTail() {
  const std::int64_t cut = received_ - head_ - static_cast<std::int64_t>(tail_.size());
  std::string out;
  if (cut > 0) {
    out = "\n[stampede: this log is capped at " +
          std::to_string(head_limit_ + kTailBytes + kMarkerRoom) + " bytes; " +
          std::to_string(cut) + " bytes cut here, the last " + std::to_string(tail_.size()) +
          " follow]\n";
  }
  out.append(tail_, tail_start_, std::string::npos);
  out.append(tail_, 0, tail_start_);
  if (pwrite(file_fd_, out.data(), out.size(), head_) >= 0) {
    if (ftruncate(file_fd_, head_ + static_cast<off_t>(out.size())) != 0) {
      // the file keeps stale bytes at its end; nothing else to do about it here
    }
  }
  tail_dirty_ = false;
}

}  // namespace stampede
