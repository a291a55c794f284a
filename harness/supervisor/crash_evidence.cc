#include "supervisor/crash_evidence.h"

#include <array>
#include <vector>

namespace stampede {
namespace {

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    auto end = text.find('\n');
    auto line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::string_view Trim(std::string_view line) {
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return line;
}

bool Contains(std::string_view line, std::string_view what) {
  return line.find(what) != std::string_view::npos;
}

// Sanitizer reports: "==123==ERROR: AddressSanitizer: heap-use-after-free on ...",
// "WARNING: ThreadSanitizer: data race (pid=1)", "file.cc:3:5: runtime error: ...".
std::string SanitizerTitle(std::string_view line) {
  constexpr std::array kSanitizers = {"AddressSanitizer:", "ThreadSanitizer:", "LeakSanitizer:",
                                      "MemorySanitizer:", "UndefinedBehaviorSanitizer:"};
  for (std::string_view name : kSanitizers) {
    auto at = line.find(name);
    if (at != std::string_view::npos) return std::string(Trim(line.substr(at)));
  }
  if (Contains(line, ": runtime error: ")) return std::string(Trim(line));
  return {};
}

// The first stack frame ("#0 0x4f2a in Handle server.cc:42") within a few lines after the
// sanitizer title at `title`, without its address; "" when there is none.
std::string FirstFrameAfter(const std::vector<std::string_view>& lines, std::size_t title) {
  constexpr std::size_t kLookAhead = 6;
  for (std::size_t i = title + 1; i < lines.size() && i <= title + kLookAhead; ++i) {
    auto line = Trim(lines[i]);
    if (line.rfind("#0 ", 0) != 0) continue;
    line.remove_prefix(3);
    if (line.rfind("0x", 0) == 0) {  // "0x4f2a in f file:line": keep "f file:line"
      const auto in = line.find(" in ");
      if (in != std::string_view::npos) line.remove_prefix(in + 4);
    }
    return "#0 " + std::string(Trim(line));
  }
  return {};
}

bool IsOtherCrashLine(std::string_view line) {
  constexpr std::array kMarkers = {
      "Assertion `",
      "terminate called after throwing",
      "terminate called without an active exception",
      "free(): ",
      "double free or corruption",
      "malloc(): ",
      "malloc_consolidate(): ",
      "realloc(): ",
      "corrupted size vs. prev_size",
      "corrupted double-linked list",
      "munmap_chunk(): invalid pointer",
      "*** stack smashing detected ***",
      "*** buffer overflow detected ***",
      "pure virtual method called",
  };
  for (std::string_view marker : kMarkers) {
    if (Contains(line, marker)) return true;
  }
  return false;
}

}  // namespace

std::string CrashTitle(std::string_view stderr_text) {
  const auto lines = Lines(stderr_text);
  std::string other;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (auto title = SanitizerTitle(lines[i]); !title.empty()) {
      if (auto frame = FirstFrameAfter(lines, i); !frame.empty()) title += "\n" + frame;
      return title;
    }
    if (other.empty() && IsOtherCrashLine(lines[i])) {
      other = std::string(Trim(lines[i]));
      if (Contains(lines[i], "terminate called after throwing") && i + 1 < lines.size() &&
          Contains(lines[i + 1], "what():")) {
        other += "\n" + std::string(Trim(lines[i + 1]));
      }
    }
  }
  return other;
}

std::string TailLines(std::string_view text, int max_lines, std::size_t max_bytes) {
  if (text.size() > max_bytes) {
    text.remove_prefix(text.size() - max_bytes);
    auto newline = text.find('\n');
    if (newline != std::string_view::npos && newline + 1 < text.size()) {
      text.remove_prefix(newline + 1);
    }
  }
  std::size_t start = text.size();
  int lines = 0;
  if (!text.empty() && text.back() == '\n') --start;
  while (start > 0) {
    auto newline = text.rfind('\n', start - 1);
    if (newline == std::string_view::npos) {
      start = 0;
      break;
    }
    if (++lines == max_lines) {
      start = newline + 1;
      break;
    }
    start = newline;
  }
  return std::string(text.substr(start));
}

}  // namespace stampede
