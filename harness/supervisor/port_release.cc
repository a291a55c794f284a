#include "supervisor/port_release.h"

#include <fstream>
#include <map>
#include <string>
#include <thread>

#include "core/clock.h"
#include "supervisor/hang_evidence.h"

namespace stampede {
namespace {

// Listening sockets on `port`: inode → local address.
std::map<std::string, std::string> ListeningInodes(int port) {
  std::map<std::string, std::string> inodes;
  const std::string suffix = ":" + std::to_string(port);
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    for (std::string line; std::getline(in, line);) {
      auto parsed = ParseProcNetTcpLine(line);
      if (parsed.is_null() || parsed["state"] != "LISTEN") continue;
      const auto& local = parsed["local"].get_ref<const std::string&>();
      if (local.size() < suffix.size() ||
          local.compare(local.size() - suffix.size(), suffix.size(), suffix) != 0) {
        continue;
      }
      inodes[parsed["inode"].get<std::string>()] = local;
    }
  }
  return inodes;
}

std::string Comm(const std::filesystem::path& process_dir) {
  std::ifstream in(process_dir / "comm");
  std::string comm;
  std::getline(in, comm);
  return comm;
}

// Adds every process holding one of `inodes` to its listener's "holders".
void FindHolders(const std::map<std::string, std::string>& inodes,
                 std::map<std::string, nlohmann::json>& holders) {
  std::error_code ec;
  for (const auto& process : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = process.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code fd_ec;
    for (const auto& fd : std::filesystem::directory_iterator(process.path() / "fd", fd_ec)) {
      std::error_code link_ec;
      auto target = std::filesystem::read_symlink(fd.path(), link_ec).string();
      if (target.rfind("socket:[", 0) != 0) continue;
      auto inode = target.substr(8, target.size() - 9);
      if (inodes.count(inode) == 0) continue;
      holders[inode].push_back({{"pid", std::stoi(name)},
                                {"fd", std::stoi(fd.path().filename().string())},
                                {"comm", Comm(process.path())}});
    }
  }
}

}  // namespace

nlohmann::json PortListeners(int port) {
  auto inodes = ListeningInodes(port);
  auto listeners = nlohmann::json::array();
  if (inodes.empty()) return listeners;
  std::map<std::string, nlohmann::json> holders;
  FindHolders(inodes, holders);
  for (const auto& [inode, local] : inodes) {
    auto found = holders.find(inode);
    listeners.push_back(
        {{"local", local},
         {"holders", found == holders.end() ? nlohmann::json::array() : found->second}});
  }
  return listeners;
}

nlohmann::json WaitForPortRelease(int port, std::chrono::milliseconds grace) {
  auto deadline = MonoClock::now() + grace;
  for (;;) {
    if (ListeningInodes(port).empty()) return nlohmann::json::array();
    if (MonoClock::now() >= deadline) return PortListeners(port);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace stampede
