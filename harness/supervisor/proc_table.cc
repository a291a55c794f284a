#include "supervisor/proc_table.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace stampede {

std::optional<ProcStat> ReadProcStat(int pid) {
  const std::string text = ReadProcFile(pid, "stat");
  const auto close_paren = text.rfind(')');
  if (close_paren == std::string::npos || close_paren + 2 >= text.size()) return std::nullopt;
  ProcStat stat;
  if (std::sscanf(text.c_str() + close_paren + 2, "%c %d %d", &stat.state, &stat.ppid,
                  &stat.pgrp) != 3) {
    return std::nullopt;
  }
  return stat;
}

std::string ReadProcFile(int pid, const char* name) {
  // Plain reads: a process that exits while its file is read makes read() fail (ESRCH), which
  // std::filebuf reports by throwing from an iterator; here it ends the text instead.
  const std::string path = "/proc/" + std::to_string(pid) + "/" + name;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      text.append(buffer, static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  close(fd);
  return text;
}

std::vector<int> ListPids() {
  std::vector<int> pids;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    pids.push_back(std::atoi(name.c_str()));
  }
  return pids;
}

}  // namespace stampede
