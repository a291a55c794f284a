#include "supervisor/proc_table.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

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
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
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
