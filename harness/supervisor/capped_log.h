// A log file fed from a pipe and capped in size: it keeps the first bytes a process wrote and
// the last kTailBytes, with one line between them saying how much was cut. A chatty target
// cannot fill the disk, and the end of the log (where crash reports are) stays whole.
//
// Threading: a thread of its own copies the pipe to the file; Settle and the destructor may
// be called from any one thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/status.h"

namespace stampede {

class CappedLog {
 public:
  // What the end of a capped log keeps.
  static constexpr std::int64_t kTailBytes = 1 << 20;

  // Creates (truncates) `path` and a pipe whose write end is for the child. `cap_bytes` must
  // exceed 2 * kTailBytes. An EnvironmentError when the file or the pipe cannot be made.
  static Result<std::unique_ptr<CappedLog>> Open(const std::filesystem::path& path,
                                                 std::int64_t cap_bytes);
  // Settles, stops the thread and closes the file and the pipe.
  ~CappedLog();
  CappedLog(const CappedLog&) = delete;
  CappedLog& operator=(const CappedLog&) = delete;

  // The pipe's write end, for the child's stdout or stderr; CloseWriteEnd once it is started.
  int write_fd() const { return write_fd_; }
  void CloseWriteEnd();
  // Copies everything the pipe holds now to the file, so that readers of the file see all a
  // process wrote before it exited.
  void Settle();
  // Bytes written to the pipe so far, and how many of them the file left out.
  std::int64_t received() const;
  std::int64_t cut() const;

 private:
  CappedLog(int file_fd, int read_fd, int write_fd, std::int64_t cap_bytes);
  void Pump();
  // Reads what is there without blocking; false at end of file. Requires mutex_.
  bool Drain();
  void Append(const char* data, std::size_t size);
  // Writes the marker and the tail after the head. Requires mutex_.
  void WriteTail();

  const int file_fd_;
  const int read_fd_;
  int write_fd_;
  const std::int64_t head_limit_;
  mutable std::mutex mutex_;
  std::int64_t received_ = 0;   // guarded by mutex_
  std::int64_t head_ = 0;       // bytes of the head written; guarded by mutex_
  std::string tail_;            // ring of the last kTailBytes beyond the head; guarded by mutex_
  std::size_t tail_start_ = 0;  // where the oldest byte of a full ring is; guarded by mutex_
  bool tail_dirty_ = false;     // guarded by mutex_
  bool ended_ = false;          // end of file seen; guarded by mutex_
  std::jthread thread_;
};

}  // namespace stampede
