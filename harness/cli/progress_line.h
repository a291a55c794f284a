// The live progress line `stampede run` keeps on a terminal: rewritten in place, and erased
// before anything else is printed. Nothing is shown when stdout is not a terminal.
#pragma once

#include <cstdint>
#include <string>

#include "run/run.h"

namespace stampede {

// "attempt 3/20  ops 1234  in flight 12  errors 0  2.3 s"; the attempt part only in a series
// (planned > 1).
std::string ProgressText(int attempt, std::int64_t planned, const ProgressSnapshot& snapshot);

class ProgressLine {
 public:
  // Shows nothing unless `enabled` (stdout is a terminal and no --json).
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  ~ProgressLine() { Clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void Show(const std::string& text);
  // Erases the line, so that what is printed next starts on a clean one.
  void Clear();

 private:
  bool enabled_;
  bool shown_ = false;
};

}  // namespace stampede
