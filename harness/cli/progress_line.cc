#include "cli/progress_line.h"

#include <fmt/format.h>

#include <cstdio>

namespace stampede {

std::string ProgressText(int attempt, std::int64_t planned, const ProgressSnapshot& snapshot) {
  std::string text = planned > 1 ? fmt::format("attempt {}/{}  ", attempt, planned) : "";
  text += fmt::format("ops {}  in flight {}  errors {}  {:.1f} s", snapshot.done,
                      snapshot.in_flight, snapshot.errors, snapshot.elapsed_ms / 1000.0);
  return text;
}

void ProgressLine::Show(const std::string& text) {
  if (!enabled_) return;
  std::fputs(("\r" + text + "\033[K").c_str(), stdout);
  std::fflush(stdout);
  shown_ = true;
}

void ProgressLine::Clear() {
  if (!shown_) return;
  std::fputs("\r\033[K", stdout);
  std::fflush(stdout);
  shown_ = false;
}

}  // namespace stampede
