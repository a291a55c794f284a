#include "supervisor/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/process/v2/environment.hpp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/stdio.hpp>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

#include "supervisor/containment.h"

extern char** environ;

namespace stampede {
namespace bp = boost::process::v2;

namespace {

// Best effort: without it the child still runs, only with the host's /proc.
void MountOwnProc() {
  if (unshare(CLONE_NEWNS) != 0) return;
  if (mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return;
  mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr);
}

// Raises RLIMIT_CORE as far as allowed: to unlimited, else to the hard limit.
void AllowCoreDumps() {
  rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
  if (setrlimit(RLIMIT_CORE, &unlimited) == 0) return;
  rlimit limit{};
  if (getrlimit(RLIMIT_CORE, &limit) != 0) return;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_CORE, &limit);
}

// Runs in the child between fork and exec: own process group, death with the parent,
// default signal dispositions and an empty signal mask whatever stampede itself uses. A child
// born in the container's PID namespace also gets a /proc of that namespace (in a mount
// namespace of its own), so that /proc/<getpid()> is itself: LeakSanitizer, for one, reads
// /proc/self/task at exit and aborts when it cannot.
struct ChildSetup {
  pid_t parent;  // what getppid() says while stampede lives (ContainerScope::expected_parent)
  bool pin;      // run on `cpus` only (LaunchSpec::cpus)
  cpu_set_t cpus;
  int nice;
  bool dump_core;

  bp::error_code on_exec_setup(bp::posix::default_launcher&, const bp::filesystem::path&,
                               const char* const*) const {
    if (setpgid(0, 0) != 0) return {errno, bp::system_category()};
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return {errno, bp::system_category()};
    if (getppid() != parent) _exit(127);  // the parent died before prctl took effect
    if (parent == 0) MountOwnProc();
    if (pin && sched_setaffinity(0, sizeof cpus, &cpus) != 0) {
      return {errno, bp::system_category()};
    }
    if (nice != 0 && setpriority(PRIO_PROCESS, 0, nice) != 0) return {errno, bp::system_category()};
    if (dump_core) AllowCoreDumps();
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD}) signal(sig, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    return {};
  }
};

std::vector<std::string> Environment(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> merged;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text = *entry;
    auto equals = text.find('=');
    if (equals != std::string::npos) merged[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const auto& [key, value] : extra) merged[key] = value;
  std::vector<std::string> out;
  for (const auto& [key, value] : merged) out.push_back(key + "=" + value);
  return out;
}

ChildSetup MakeChildSetup(pid_t parent, const LaunchSpec& spec) {
  ChildSetup setup{parent, !spec.cpus.empty(), {}, spec.nice, spec.dump_core};
  CPU_ZERO(&setup.cpus);
  for (int cpu : spec.cpus) CPU_SET(cpu, &setup.cpus);
  return setup;
}

Result<std::string> ResolveProgram(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    if (access(name.c_str(), X_OK) != 0) {
      return EnvironmentError("cannot execute " + name + ": " + std::strerror(errno));
    }
    return name;
  }
  auto found = bp::environment::find_executable(name);
  if (found.empty()) return EnvironmentError("program not found in PATH: " + name);
  return found.string();
}

// A capped log for `path`; null (no capping) when the output goes nowhere.
Result<std::unique_ptr<CappedLog>> OpenCapped(const std::filesystem::path& path,
                                              std::int64_t cap_bytes) {
  if (path.empty()) return std::unique_ptr<CappedLog>();
  return CappedLog::Open(path, cap_bytes);
}

int OpenLog(const std::filesystem::path& path) {
  if (path.empty()) return open("/dev/null", O_WRONLY | O_CLOEXEC);
  return open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

}  // namespace

ExitInfo DecodeWaitStatus(int status) {
  ExitInfo info;
  if (WIFEXITED(status)) info.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) {
    info.signal = WTERMSIG(status);
    info.core_dumped = WCOREDUMP(status);
  }
  return info;
}

Result<std::unique_ptr<ChildProcess>> ChildProcess::Start(const LaunchSpec& spec) {
  if (spec.argv.empty()) return EnvironmentError("empty command");
  // Descendants a target orphans (a daemonised helper, a child of a crashed worker) become
  // ours instead of init's, so they stay in reach and get reaped.
  static const bool kSubreaper = prctl(PR_SET_CHILD_SUBREAPER, 1) == 0;
  (void)kSubreaper;
  auto program = ResolveProgram(spec.argv[0]);
  if (!program.ok()) return program.error();
  std::unique_ptr<CappedLog> out_log;
  std::unique_ptr<CappedLog> err_log;
  if (spec.log_cap_bytes > 0) {
    auto opened_out = OpenCapped(spec.stdout_path, spec.log_cap_bytes);
    if (!opened_out.ok()) return opened_out.error();
    auto opened_err = OpenCapped(spec.stderr_path, spec.log_cap_bytes);
    if (!opened_err.ok()) return opened_err.error();
    out_log = std::move(opened_out.value());
    err_log = std::move(opened_err.value());
  }
  int out = out_log ? fcntl(out_log->write_fd(), F_DUPFD_CLOEXEC, 0) : OpenLog(spec.stdout_path);
  int err = err_log ? fcntl(err_log->write_fd(), F_DUPFD_CLOEXEC, 0) : OpenLog(spec.stderr_path);
  if (out_log) out_log->CloseWriteEnd();
  if (err_log) err_log->CloseWriteEnd();
  if (out < 0 || err < 0) {
    if (out >= 0) close(out);
    if (err >= 0) close(err);
    return EnvironmentError("cannot create log files in " +
                            spec.stdout_path.parent_path().string());
  }
  boost::asio::io_context context;
  std::vector<std::string> args(spec.argv.begin() + 1, spec.argv.end());
  const auto started_at = std::filesystem::file_time_type::clock::now();
  int pid = 0;
  try {
    // Boost 1.81's error_code overload still throws, so errors arrive as exceptions.
    std::optional<ContainerScope> container;
    if (spec.contained) container.emplace();
    const int parent = container ? container->expected_parent() : static_cast<int>(getpid());
    bp::process process(
        context, bp::filesystem::path(program.value()), args, bp::process_stdio{nullptr, out, err},
        bp::process_environment(Environment(spec.env)), MakeChildSetup(parent, spec));
    pid = process.id();
    process.detach();  // Boost's handle would kill on destruction; we own the child now
  } catch (const boost::system::system_error& e) {
    close(out);
    close(err);
    std::string hint;
    if (spec.nice < 0 && (e.code().value() == EACCES || e.code().value() == EPERM)) {
      hint = " (a negative nice value, " + std::to_string(spec.nice) +
             ", needs root or CAP_SYS_NICE; see \"perturb\")";
    }
    return EnvironmentError("cannot start " + spec.argv[0] + ": " + e.code().message() + hint);
  }
  close(out);
  close(err);
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    kill(-pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return EnvironmentError(std::string("pidfd_open failed: ") + std::strerror(errno));
  }
  std::unique_ptr<ChildProcess> child(
      new ChildProcess(pid, pidfd, std::move(out_log), std::move(err_log)));
  child->program_ = std::filesystem::absolute(program.value());
  child->started_at_ = started_at;
  return child;
}

ChildProcess::~ChildProcess() {
  KillGroup();
  if (!exit_) {
    int status = 0;
    if (waitpid(pid_, &status, 0) == pid_) exit_ = DecodeWaitStatus(status);
  }
  ReapGroup(kGroupReapWait);
  close(pidfd_);
}

void ChildProcess::ReapGroup(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    // Orphans of the group were reparented to us (child subreaper, see Start); the child
    // itself is already reaped, so this cannot take its status.
    while (waitpid(-pid_, nullptr, WNOHANG) > 0) {
    }
    if (kill(-pid_, 0) != 0 && errno == ESRCH) return;
    if (std::chrono::steady_clock::now() >= deadline) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

const std::optional<ExitInfo>& ChildProcess::Poll() {
  if (exit_) return exit_;
  int status = 0;
  pid_t reaped = waitpid(pid_, &status, WNOHANG);
  if (reaped == pid_) {
    exit_ = DecodeWaitStatus(status);
    SettleLogs();
  }
  return exit_;
}

const std::optional<ExitInfo>& ChildProcess::WaitFor(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!Poll()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd pfd{pidfd_, POLLIN, 0};
    poll(&pfd, 1, static_cast<int>(left.count()));
  }
  return exit_;
}

bool ChildProcess::Signal(int signal) {
  if (exit_) return false;
  return syscall(SYS_pidfd_send_signal, pidfd_, signal, nullptr, 0) == 0;
}

bool ChildProcess::SignalGroup(int signal) {
  if (exit_) return false;
  return kill(-pid_, signal) == 0;
}

void ChildProcess::SettleLogs() {
  if (stdout_log_) stdout_log_->Settle();
  if (stderr_log_) stderr_log_->Settle();
}

void ChildProcess::KillGroup() {
  // The group id is the child's pid; the kernel does not reuse it while any member lives.
  kill(-pid_, SIGKILL);
}

}  // namespace stampede
