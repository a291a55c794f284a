#include "supervisor/containment.h"

#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <set>
#include <thread>

#include "supervisor/proc_table.h"

namespace stampede {
namespace {

struct Container {
  ContainmentState state;
  int reaper_pid = 0;
  int alive_fd = -1;     // write end of the reaper's pipe; closing it ends the reaper
  int own_ns_fd = -1;    // stampede's own PID namespace
  int inner_ns_fd = -1;  // the container's PID namespace
  bool entered = false;
};

Container& TheContainer() {
  static Container container;
  return container;
}

// The namespace's init: reaps every orphan reparented to it and leaves when stampede does
// (its pipe reaches end of file, or PR_SET_PDEATHSIG kills it). When it exits the kernel
// kills everything else in the namespace.
[[noreturn]] void RunReaper(int alive_fd) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  prctl(PR_SET_NAME, "stampede-init");
  int null = open("/dev/null", O_RDWR);
  for (int fd : {0, 1, 2}) dup2(null, fd);
  sigset_t children;
  sigemptyset(&children);
  sigaddset(&children, SIGCHLD);
  sigprocmask(SIG_BLOCK, &children, nullptr);
  int reaped_fd = signalfd(-1, &children, SFD_NONBLOCK | SFD_CLOEXEC);
  for (;;) {
    pollfd fds[2] = {{alive_fd, POLLIN, 0}, {reaped_fd, POLLIN, 0}};
    poll(fds, reaped_fd >= 0 ? 2 : 1, 1000);
    if (fds[0].revents != 0) _exit(0);  // end of file: stampede is gone or leaving
    signalfd_siginfo info;
    while (reaped_fd >= 0 && read(reaped_fd, &info, sizeof info) > 0) {
    }
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
  }
}

// Makes the namespace and its init; on failure leaves everything as it was and says why.
std::string TryPidNamespace(Container& container) {
  container.own_ns_fd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
  if (container.own_ns_fd < 0) return std::string("/proc/self/ns/pid: ") + std::strerror(errno);
  if (unshare(CLONE_NEWPID) != 0) {
    return std::string("cannot make a PID namespace: ") + std::strerror(errno);
  }
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    setns(container.own_ns_fd, CLONE_NEWPID);
    return std::string("pipe: ") + std::strerror(errno);
  }
  pid_t reaper = fork();
  if (reaper == 0) {
    close(pipe_fds[1]);
    RunReaper(pipe_fds[0]);
  }
  close(pipe_fds[0]);
  if (reaper < 0) {
    close(pipe_fds[1]);
    setns(container.own_ns_fd, CLONE_NEWPID);
    return std::string("cannot start the namespace's init: ") + std::strerror(errno);
  }
  container.reaper_pid = reaper;
  container.alive_fd = pipe_fds[1];
  auto inner = "/proc/" + std::to_string(reaper) + "/ns/pid";
  container.inner_ns_fd = open(inner.c_str(), O_RDONLY | O_CLOEXEC);
  // Threads can only be made while children would be born in our own namespace.
  setns(container.own_ns_fd, CLONE_NEWPID);
  if (container.inner_ns_fd < 0) return std::string(inner) + ": " + std::strerror(errno);
  return {};
}

// The text after `prefix` of the process's environment entry that starts with it.
std::optional<std::string> MarkedOrigin(int pid, const std::string& prefix) {
  std::string environ = ReadProcFile(pid, "environ");
  std::size_t at = 0;
  while (at < environ.size()) {
    auto end = environ.find('\0', at);
    if (end == std::string::npos) end = environ.size();
    if (environ.compare(at, prefix.size(), prefix) == 0 && end - at >= prefix.size()) {
      return environ.substr(at + prefix.size(), end - at - prefix.size());
    }
    at = end + 1;
  }
  return std::nullopt;
}

std::string CommandLine(int pid) {
  std::string text = ReadProcFile(pid, "cmdline");
  while (!text.empty() && text.back() == '\0') text.pop_back();
  std::replace(text.begin(), text.end(), '\0', ' ');
  return text;
}

bool Gone(int pid) {
  while (waitpid(pid, nullptr, WNOHANG) > 0) {
  }
  auto stat = ReadProcStat(pid);
  return !stat || HasEnded(*stat);
}

}  // namespace

const char* ToString(ContainmentKind kind) {
  return kind == ContainmentKind::kPidNamespace ? "pid-namespace" : "subreaper";
}

Status IsolateNetwork() {
  if (unshare(CLONE_NEWNET) != 0) {
    return EnvironmentError(std::string("cannot make a network namespace: ") +
                            std::strerror(errno));
  }
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ifreq request{};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  const bool up = fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &request) == 0 &&
                  (request.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &request) == 0);
  const int error = errno;
  if (fd >= 0) close(fd);
  if (!up)
    return EnvironmentError(std::string("cannot bring loopback up: ") + std::strerror(error));
  TheContainer().state.network_isolated = true;
  return {};
}

Status RequireNetworkIsolation(bool wanted) {
  if (!wanted || TheContainer().state.network_isolated) return {};
  return EnvironmentError(
      "the scenario says \"isolation\": \"network\", but this process has no network "
      "namespace of its own (stampede run sets one up, or --isolate-network)");
}

const ContainmentState& EnterContainment() {
  Container& container = TheContainer();
  if (container.entered) return container.state;
  container.entered = true;
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  const char* forced = std::getenv("STAMPEDE_CONTAINMENT");
  if (forced != nullptr && std::string(forced) == "subreaper") {
    container.state.note = "STAMPEDE_CONTAINMENT=subreaper";
    return container.state;
  }
  container.state.note = TryPidNamespace(container);
  if (container.state.note.empty()) {
    container.state.kind = ContainmentKind::kPidNamespace;
    std::atexit(LeaveContainment);
  }
  return container.state;
}

const ContainmentState& CurrentContainment() {
  return TheContainer().state;
}

void LeaveContainment() {
  Container& container = TheContainer();
  if (container.reaper_pid <= 0) return;
  close(container.alive_fd);
  waitpid(container.reaper_pid, nullptr, 0);
  container.reaper_pid = 0;
}

ContainerScope::ContainerScope() {
  const Container& container = TheContainer();
  if (container.reaper_pid <= 0 || container.inner_ns_fd < 0) return;
  switched_ = setns(container.inner_ns_fd, CLONE_NEWPID) == 0;
}

ContainerScope::~ContainerScope() {
  if (switched_) setns(TheContainer().own_ns_fd, CLONE_NEWPID);
}

int ContainerScope::expected_parent() const {
  return switched_ ? 0 : static_cast<int>(getpid());
}

std::string NewRunMark() {
  static std::atomic<int> counter{0};
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  return std::to_string(getpid()) + "-" + std::to_string(++counter) + "-" + std::to_string(now);
}

std::vector<StrayProcess> FindStrays(const std::string& mark,
                                     const std::vector<int>& known_groups) {
  const std::string prefix = std::string(kRunMarkVariable) + "=" + mark + "/";
  const int self = static_cast<int>(getpid());
  std::vector<StrayProcess> strays;
  for (int pid : ListPids()) {
    auto stat = ReadProcStat(pid);
    if (pid == self || !stat || HasEnded(*stat)) continue;
    if (std::find(known_groups.begin(), known_groups.end(), stat->pgrp) != known_groups.end()) {
      continue;
    }
    if (auto origin = MarkedOrigin(pid, prefix)) {
      strays.push_back({pid, CommandLine(pid), std::move(*origin)});
    }
  }
  return strays;
}

std::vector<StrayProcess> SweepStrays(const std::string& mark,
                                      const std::vector<int>& known_groups) {
  std::vector<StrayProcess> killed;
  std::set<int> seen;
  // A stray may fork between the scan and the kill; its child carries the mark too.
  for (int round = 0; round < 5; ++round) {
    auto strays = FindStrays(mark, known_groups);
    if (strays.empty()) break;
    for (auto& stray : strays) {
      kill(stray.pid, SIGKILL);
      if (seen.insert(stray.pid).second) killed.push_back(std::move(stray));
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (const auto& stray : killed) {
    while (!Gone(stray.pid) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  return killed;
}

nlohmann::json DescribeContainment(const ContainmentState& state,
                                   const std::vector<ProcessEvent>& events) {
  nlohmann::json strays = nlohmann::json::array();
  for (const auto& event : events) {
    if (event.action != ProcessAction::kStrayKilled) continue;
    strays.push_back({{"target", event.target},
                      {"pid", event.pid},
                      {"command", event.evidence.value("command", std::string())}});
  }
  nlohmann::json described = {{"kind", ToString(state.kind)},
                              {"network", state.network_isolated ? "isolated" : "host"},
                              {"strays_killed", strays}};
  if (!state.note.empty()) described["note"] = state.note;
  return described;
}

}  // namespace stampede
