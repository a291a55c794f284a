// stderr-flood: an echo server that writes a flood of text lines to stderr as it starts (a
// chatty program whose log a harness must not choke on).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <string>
#include <thread>

#include "hostile.h"

namespace {

constexpr size_t kLineBytes = 64;
constexpr size_t kBlockLines = 1024;

// The 64-byte line number `n`: "hostile: stderr-flood line 0000000042 xxx...x\n".
void AppendLine(int64_t n, std::string* block) {
  char line[kLineBytes + 1];
  int length = std::snprintf(line, sizeof line, "hostile: stderr-flood line %010lld ",
                             static_cast<long long>(n));
  block->append(line, static_cast<size_t>(length));
  block->append(kLineBytes - 1 - static_cast<size_t>(length), 'x');
  block->push_back('\n');
}

// Writes exactly `bytes` bytes of numbered lines to fd 2 (the last line cut short when `bytes`
// is not a multiple of 64), or until a write fails.
void FloodStderr(int64_t bytes) {
  std::string block;
  int64_t line = 0;
  while (bytes > 0) {
    block.clear();
    for (size_t i = 0; i < kBlockLines; ++i) AppendLine(line++, &block);
    size_t size = static_cast<size_t>(std::min<int64_t>(bytes, static_cast<int64_t>(block.size())));
    for (size_t at = 0; at < size;) {
      ssize_t n = write(STDERR_FILENO, block.data() + at, size - at);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      at += static_cast<size_t>(n);
    }
    bytes -= static_cast<int64_t>(size);
  }
}

}  // namespace

int RunStderrFlood(const Options& options) {
  StopSignal stop;
  // Before the thread starts, so it inherits the blocked signals.
  int listen_fd = OpenForeground(options, &stop);
  if (listen_fd < 0) return 1;
  std::thread flood(FloodStderr, options.flood_bytes);
  int status = ServeConnections(listen_fd, &stop, ConnectionPolicy::kEchoLines);
  // The whole flood is written even when the stop comes first: the stop waits for it (and hangs
  // if stderr is a pipe nobody reads, as a real program's would).
  flood.join();
  return status;
}
