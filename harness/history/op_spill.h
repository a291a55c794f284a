// A load stream's operations on disk while the run goes on, so that memory does not grow with
// the number of operations: a compact binary file written by one recorder, read back once, in
// the order written, when the run's history is put together.
//
// Format: records back to back, each
//   u8 flags (the type in bits 0-1; which optional parts follow and which fields repeat
//     another: got == expected, connection == client),
//   varints (LEB128, signed ones zigzag): time_ns as the difference from the previous record's,
//     client, [connection], seq, [time_ns - intended_ns],
//   f and stream as a name number (a number not seen before is followed by the name: varint
//     length + bytes; the first 4096 distinct names are numbered),
//   [expected], [got], [error] as varint length + bytes.
// A ping-pong operation (invoke and completion) takes about 50 bytes. Host byte order does not
// matter; a spill file never leaves the run that wrote it.
//
// Threading: a writer and a reader each belong to one thread.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "history/event.h"

namespace stampede {

class OpSpillWriter {
 public:
  OpSpillWriter() = default;
  ~OpSpillWriter();
  OpSpillWriter(const OpSpillWriter&) = delete;
  OpSpillWriter& operator=(const OpSpillWriter&) = delete;

  Status Open(const std::filesystem::path& path);
  // Buffers `op`; a failed write is kept and reported by Close.
  void Write(const Operation& op);
  // Writes what is buffered to the kernel (for a reader that opens the file later).
  void Flush();
  // Flushes and closes; an error if any write failed (a full disk, say).
  Status Close();
  std::int64_t written() const { return written_; }

 private:
  static constexpr std::size_t kFlushBytes = 64 * 1024;

  // Appends `name` (an f or stream value) as its number, defining it on first use.
  void AppendName(const std::string& name);

  std::filesystem::path path_;
  std::int64_t last_time_ns_ = 0;
  std::unordered_map<std::string, std::uint64_t> name_numbers_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
  std::int64_t written_ = 0;
  bool failed_ = false;
};

// The spill files of a run, one per recording thread, in one folder. Thread-safe.
class SpillFiles {
 public:
  explicit SpillFiles(std::filesystem::path dir) : dir_(std::move(dir)) {}
  // A writer owned by this object: one given back by Release, or one on a new file
  // `ops-N.spill`. A released writer is only handed out again for operations recorded after
  // the ones it holds (a later run of a looping load), so each file stays in time order and
  // their number stays bounded by the threads recording at once.
  Result<OpSpillWriter*> Create();
  // Gives `writer` (from Create) back once its thread has ended.
  void Release(OpSpillWriter* writer);
  // Every file created so far.
  std::vector<std::filesystem::path> paths() const;
  // Closes every writer (their threads must have ended): the first error.
  Status CloseAll();
  // Deletes every file.
  void RemoveAll();

 private:
  std::filesystem::path dir_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<OpSpillWriter>> writers_;  // guarded by mutex_
  std::vector<std::filesystem::path> paths_;             // guarded by mutex_
  std::vector<OpSpillWriter*> idle_;                     // guarded by mutex_: released
};

class OpSpillReader {
 public:
  OpSpillReader() = default;
  ~OpSpillReader();
  OpSpillReader(const OpSpillReader&) = delete;
  OpSpillReader& operator=(const OpSpillReader&) = delete;

  Status Open(const std::filesystem::path& path);
  // The next operation into `op`; false at the end. A truncated last record (the writer was
  // killed) ends the file and is reported by truncated().
  bool Next(Operation& op);
  bool truncated() const { return truncated_; }

 private:
  bool ReadVarint(std::uint64_t& value);
  bool ReadSigned(std::int64_t& value);
  bool ReadBytes(std::string& out);
  bool ReadName(std::string& out);

  std::FILE* file_ = nullptr;
  std::int64_t last_time_ns_ = 0;
  std::vector<std::string> names_;
  bool truncated_ = false;
};

}  // namespace stampede
