// Reading the process table from /proc, as stampede sees it (its own PID namespace).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace stampede {

// The fields of /proc/PID/stat the supervisor needs.
struct ProcStat {
  char state = '?';  // 'R', 'S', 'Z' (zombie), 'X' (dead) ...
  int ppid = 0;
  int pgrp = 0;
};

// /proc/PID/stat parsed ("pid (comm) S ppid pgrp ...", comm may hold spaces and parentheses);
// nullopt when the process is gone.
std::optional<ProcStat> ReadProcStat(int pid);

// Whether a process in that state has ended (a zombie or dead).
inline bool HasEnded(const ProcStat& stat) {
  return stat.state == 'Z' || stat.state == 'X';
}

// The whole of /proc/PID/NAME ("environ", "cmdline" ...); empty when unreadable.
std::string ReadProcFile(int pid, const char* name);

// The pids of /proc, in directory order.
std::vector<int> ListPids();

}  // namespace stampede
