#include "supervisor/hang_evidence.h"

#include <dirent.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <map>
#include <sstream>

#include "supervisor/child_process.h"
#include "supervisor/proc_table.h"

namespace stampede {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

int CountThreads(const std::string& gdb_output) {
  int threads = 0;
  std::istringstream lines(gdb_output);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("Thread ", 0) == 0) ++threads;
  }
  return threads;
}

constexpr int kTcpListen = 10;  // the state's number in /proc/net/tcp

const char* TcpStateName(int state) {
  constexpr std::array<const char*, 12> kNames = {
      "UNKNOWN",   "ESTABLISHED", "SYN_SENT",   "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
      "TIME_WAIT", "CLOSE",       "CLOSE_WAIT", "LAST_ACK", "LISTEN",    "CLOSING"};
  return state > 0 && state < static_cast<int>(kNames.size()) ? kNames[state] : "UNKNOWN";
}

// "0100007F:1F90" (IPv4, little-endian words) or a 32-hex-digit IPv6 address.
std::string DecodeAddress(const std::string& text) {
  auto colon = text.find(':');
  if (colon == std::string::npos) return text;
  std::string hex = text.substr(0, colon);
  int port = std::stoi(text.substr(colon + 1), nullptr, 16);
  std::string host;
  if (hex.size() == 8) {
    unsigned long value = std::stoul(hex, nullptr, 16);
    host = std::to_string(value & 0xff) + "." + std::to_string((value >> 8) & 0xff) + "." +
           std::to_string((value >> 16) & 0xff) + "." + std::to_string((value >> 24) & 0xff);
  } else {
    host = "[" + hex + "]";
  }
  return host + ":" + std::to_string(port);
}

// Socket inode → fd number, from /proc/PID/fd.
std::map<std::string, int> SocketInodes(int pid) {
  std::map<std::string, int> inodes;
  auto dir = "/proc/" + std::to_string(pid) + "/fd";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    auto target = std::filesystem::read_symlink(entry.path(), ec).string();
    if (target.rfind("socket:[", 0) == 0) {
      inodes[target.substr(8, target.size() - 9)] = std::stoi(entry.path().filename().string());
    }
  }
  return inodes;
}

}  // namespace

nlohmann::json CaptureBacktraces(int pid, const std::filesystem::path& save_to,
                                 std::chrono::milliseconds timeout) {
  return RunGdb({"-p", std::to_string(pid)}, {"thread apply all bt"}, save_to, timeout);
}

nlohmann::json RunGdb(const std::vector<std::string>& target_args,
                      const std::vector<std::string>& commands,
                      const std::filesystem::path& save_to, std::chrono::milliseconds timeout) {
  LaunchSpec spec;
  spec.argv = {"gdb", "-batch", "-nx", "-q"};
  spec.argv.insert(spec.argv.end(), target_args.begin(), target_args.end());
  spec.argv.insert(spec.argv.end(), {"-ex", "set pagination off"});
  for (const auto& command : commands) spec.argv.insert(spec.argv.end(), {"-ex", command});
  spec.stdout_path = save_to;
  spec.stderr_path = save_to.string() + ".stderr";
  spec.contained = false;  // gdb takes the pid as stampede sees it
  auto gdb = ChildProcess::Start(spec);
  if (!gdb.ok()) return {{"unavailable", gdb.error().message}};
  if (!gdb.value()->WaitFor(timeout)) {
    gdb.value()->KillGroup();
    gdb.value()->WaitFor(std::chrono::seconds(5));
    return {{"unavailable", "gdb did not finish within " + std::to_string(timeout.count()) + " ms"},
            {"path", save_to.string()}};
  }
  std::string text = ReadFile(save_to);
  int threads = CountThreads(text);
  if (threads == 0 && text.find("#0 ") == std::string::npos) {
    std::string why = ReadFile(spec.stderr_path);
    return {{"unavailable", "gdb printed no backtrace: " + why.substr(0, 2000)}};
  }
  std::filesystem::remove(spec.stderr_path);
  constexpr std::size_t kMaxText = 64 * 1024;
  if (text.size() > kMaxText) {
    text.resize(kMaxText);
    text += "\n[truncated]\n";
  }
  return {{"tool", "gdb"}, {"path", save_to.string()}, {"threads", threads}, {"text", text}};
}

nlohmann::json ParseProcNetTcpLine(const std::string& line) {
  std::istringstream in(line);
  std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
  if (!(in >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
        timeout >> inode) ||
      slot.empty() || slot.back() != ':') {
    return nullptr;
  }
  const int state_code = std::stoi(state, nullptr, 16);
  nlohmann::json parsed = {{"local", DecodeAddress(local)},
                           {"remote", DecodeAddress(remote)},
                           {"state", TcpStateName(state_code)},
                           {"inode", inode}};
  // "TX:RX" in hex. A listening socket's RX is its accept queue: connections the kernel has
  // completed and the program has not accepted.
  auto colon = queues.find(':');
  if (colon != std::string::npos) {
    const auto tx = std::stoll(queues.substr(0, colon), nullptr, 16);
    const auto rx = std::stoll(queues.substr(colon + 1), nullptr, 16);
    if (state_code == kTcpListen) {
      parsed["accept_queue"] = rx;
    } else {
      parsed["unread_bytes"] = rx;
      parsed["unsent_bytes"] = tx;
    }
  }
  return parsed;
}

nlohmann::json CaptureSockets(int pid) {
  auto inodes = SocketInodes(pid);
  if (inodes.empty() && access(("/proc/" + std::to_string(pid) + "/fd").c_str(), R_OK) != 0) {
    return {{"unavailable", "cannot read /proc/" + std::to_string(pid) + "/fd"}};
  }
  auto sockets = nlohmann::json::array();
  for (const char* table : {"tcp", "tcp6"}) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/net/" + table);
    for (std::string line; std::getline(in, line);) {
      auto parsed = ParseProcNetTcpLine(line);
      if (parsed.is_null()) continue;
      auto it = inodes.find(parsed["inode"].get<std::string>());
      if (it == inodes.end()) continue;
      parsed["fd"] = it->second;
      parsed.erase("inode");
      sockets.push_back(parsed);
    }
  }
  return sockets;
}

std::vector<int> ProcessGroupMembers(int pgid) {
  std::vector<int> members;
  for (int pid : ListPids()) {
    auto stat = ReadProcStat(pid);
    if (!stat || stat->pgrp != pgid || stat->state == 'Z') continue;
    members.insert(pid == pgid ? members.begin() : members.end(), pid);
  }
  return members;
}

nlohmann::json CaptureGroupSockets(const std::vector<int>& pids) {
  auto sockets = nlohmann::json::array();
  nlohmann::json unavailable;
  for (int pid : pids) {
    auto own = CaptureSockets(pid);
    if (own.is_object()) {
      if (unavailable.is_null()) unavailable = own;
      continue;
    }
    for (auto& socket : own) {
      socket["pid"] = pid;
      sockets.push_back(std::move(socket));
    }
  }
  return sockets.empty() && !unavailable.is_null() ? unavailable : sockets;
}

}  // namespace stampede
