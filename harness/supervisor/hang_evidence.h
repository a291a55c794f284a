// Evidence taken from a live process that does not do what it should (a missed stop
// deadline, an unanswered probe): all-thread backtraces and its sockets' TCP states.
// Both degrade to a note in the evidence when the tools or permissions are missing.
#pragma once

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

namespace stampede {

// Attaches gdb in batch mode and prints every thread's backtrace. The full text is saved
// to `save_to`; the result is {"tool": "gdb", "path": ..., "threads": N, "text": <up to
// 64 KiB>} or {"unavailable": "<why>"}. gdb is killed if it takes longer than `timeout`.
nlohmann::json CaptureBacktraces(int pid, const std::filesystem::path& save_to,
                                 std::chrono::milliseconds timeout);

// What CaptureBacktraces does, for any gdb target (`-p PID`, or PROGRAM CORE) and commands run
// in batch mode after "set pagination off"; the same result.
nlohmann::json RunGdb(const std::vector<std::string>& target_args,
                      const std::vector<std::string>& commands,
                      const std::filesystem::path& save_to, std::chrono::milliseconds timeout);

// The process's TCP sockets from /proc: [{"fd", "local", "remote", "state"}], or
// {"unavailable": "<why>"}.
nlohmann::json CaptureSockets(int pid);

// The pids of every live process in process group `pgid` (from /proc), `pgid` itself first when
// it is alive.
std::vector<int> ProcessGroupMembers(int pgid);

// CaptureSockets of every process in `pids`, each socket tagged with its "pid"; the first
// process whose sockets are unavailable gives the result's {"unavailable"} when none is
// readable.
nlohmann::json CaptureGroupSockets(const std::vector<int>& pids);

// Parses one /proc/net/tcp or tcp6 line ("  0: 0100007F:1F90 00000000:0000 0A ... inode")
// into {"local", "remote", "state", "inode"}; null when the line is not a socket line.
nlohmann::json ParseProcNetTcpLine(const std::string& line);

}  // namespace stampede
