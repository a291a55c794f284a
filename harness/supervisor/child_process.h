// One child process started by stampede, in its own process group, killed by the kernel if
// the thread that started it dies (PR_SET_PDEATHSIG), with stdout and stderr going to files.
//
// Threading: a ChildProcess is used by one thread at a time. Start children from a thread
// that lives as long as they should (the kernel ties PDEATHSIG to the forking thread).
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "history/event.h"
#include "supervisor/capped_log.h"

namespace stampede {

struct LaunchSpec {
  std::vector<std::string> argv;           // argv[0] is a path or a name found in PATH
  std::map<std::string, std::string> env;  // added to (or replacing in) our environment
  std::filesystem::path stdout_path;       // truncated; empty: /dev/null
  std::filesystem::path stderr_path;       // truncated; empty: /dev/null
  // Born in the run's container (containment.h). Tools that take pids as stampede sees them
  // (gdb -p) must not be.
  bool contained = true;
  // Above 0: each log is capped at this size (capped_log.h), fed through a pipe; 0: the child
  // writes the files itself.
  std::int64_t log_cap_bytes = 0;
  // Not empty: the child runs on these CPUs only (set before exec, so its threads inherit it).
  std::vector<int> cpus;
  int nice = 0;  // not 0: the child's nice value (set before exec; below 0 needs privilege)
  // The child may dump core (RLIMIT_CORE raised to the hard limit, raised first where allowed).
  bool dump_core = false;
};

class ChildProcess {
 public:
  // Starts the process. A program that cannot be found or executed is an EnvironmentError.
  static Result<std::unique_ptr<ChildProcess>> Start(const LaunchSpec& spec);
  // Kills the whole group, reaps the child if it still runs, and waits (briefly) until no
  // member of the group is left, reaping those that became ours.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  int pid() const { return pid_; }
  // The program started (argv[0] found in PATH when it named no path) and when.
  const std::filesystem::path& program() const { return program_; }
  std::filesystem::file_time_type started_at() const { return started_at_; }
  // The pidfd, readable once the child has exited; for poll() alongside other events.
  int pidfd() const { return pidfd_; }
  bool exited() const { return exit_.has_value(); }
  const std::optional<ExitInfo>& exit() const { return exit_; }

  // Reaps the child when it has exited; never blocks.
  const std::optional<ExitInfo>& Poll();
  // Waits until the child exits or `timeout` passes.
  const std::optional<ExitInfo>& WaitFor(std::chrono::milliseconds timeout);
  // Sends `signal` to the child only; false when it has already been reaped.
  bool Signal(int signal);
  // Sends `signal` to the whole process group; false when the child has been reaped.
  bool SignalGroup(int signal);
  // Sends SIGKILL to the whole process group (the child and anything it started).
  void KillGroup();
  // Capped logs: copies what is still in their pipes to the files. Poll does it when it finds
  // the child exited, so its last words are in the files before anyone reads them.
  void SettleLogs();

 private:
  ChildProcess(int pid, int pidfd, std::unique_ptr<CappedLog> out, std::unique_ptr<CappedLog> err)
      : pid_(pid), pidfd_(pidfd), stdout_log_(std::move(out)), stderr_log_(std::move(err)) {}
  // Requires the child reaped: reaps the group's other members as they die, until none is
  // left or `timeout` passes.
  void ReapGroup(std::chrono::milliseconds timeout);

  static constexpr std::chrono::milliseconds kGroupReapWait{2000};

  int pid_;
  int pidfd_;
  std::filesystem::path program_;
  std::filesystem::file_time_type started_at_;
  std::unique_ptr<CappedLog> stdout_log_;  // null when not capped
  std::unique_ptr<CappedLog> stderr_log_;
  std::optional<ExitInfo> exit_;
};

// Decodes a wait status.
ExitInfo DecodeWaitStatus(int status);

}  // namespace stampede
