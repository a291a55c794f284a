// daemon and daemon-keeps-socket: the classic double fork. The started process forks, the child
// calls setsid() (a new session and process group, out of the group a harness kills) and forks
// again, and the grandchild, which is no session leader and whose parent is gone, ignores
// SIGTERM and SIGHUP and lives on; nothing of it dies with the process that was started.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "hostile.h"

namespace {

constexpr int kDaemonReadyTimeoutMs = 5000;

// Forks the daemon. Returns 0 in the grandchild, the (reaped) child's pid in the calling
// process, or -1 after printing why. The child exits at once.
pid_t ForkDaemon() {
  std::fflush(nullptr);  // Nothing buffered is written twice.
  pid_t child = fork();
  if (child < 0) {
    std::fprintf(stderr, "hostile: fork: %s\n", std::strerror(errno));
    return -1;
  }
  if (child == 0) {
    setsid();
    pid_t grandchild = fork();
    if (grandchild != 0) _exit(grandchild < 0 ? 1 : 0);
    return 0;
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "hostile: the daemon's second fork failed\n");
    return -1;
  }
  return child;
}

// In the grandchild: SIGTERM and SIGHUP ignored, no signal blocked, stdin from /dev/null.
// stdout and stderr stay: the readiness line goes there, and they are the harness's log files.
void BecomeDaemon(const Options& options) {
  signal(SIGTERM, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd >= 0) {
    dup2(null_fd, STDIN_FILENO);
    close(null_fd);
  }
  ArmLifetime(options);
}

// In the grandchild: tells the started process that the daemon is set up.
void SignalReady(int ready_fd) {
  [[maybe_unused]] ssize_t n = write(ready_fd, "r", 1);
  close(ready_fd);
}

// In the started process: whether the daemon signalled readiness on `ready_fd` in time (its end
// closes without a byte if it failed).
bool WaitForDaemon(int ready_fd) {
  pollfd entry{ready_fd, POLLIN, 0};
  int ready;
  while ((ready = poll(&entry, 1, kDaemonReadyTimeoutMs)) < 0 && errno == EINTR) {
  }
  char byte;
  bool ok = ready > 0 && read(ready_fd, &byte, 1) == 1;
  close(ready_fd);
  if (!ok) std::fprintf(stderr, "hostile: the daemon did not get ready\n");
  return ok;
}

}  // namespace

int RunDaemon(const Options& options) {
  int ready[2];
  if (pipe2(ready, O_CLOEXEC) != 0) {
    std::fprintf(stderr, "hostile: pipe: %s\n", std::strerror(errno));
    return 1;
  }
  pid_t pid = ForkDaemon();
  if (pid < 0) return 1;
  if (pid == 0) {
    close(ready[0]);
    BecomeDaemon(options);
    int listen_fd = Listen(options);
    if (listen_fd < 0 || !WritePidFile(options.pidfile, getpid())) std::exit(1);
    Announce(options, listen_fd);
    SignalReady(ready[1]);
    std::exit(ServeConnections(listen_fd, nullptr, ConnectionPolicy::kEchoLines));
  }
  close(ready[1]);
  return WaitForDaemon(ready[0]) ? 0 : 1;
}

int RunDaemonKeepsSocket(const Options& options) {
  StopSignal stop;  // Before the fork: no SIGTERM can kill the foreground once it listens.
  std::string error;
  if (!stop.Open(&error)) {
    std::fprintf(stderr, "hostile: %s\n", error.c_str());
    return 1;
  }
  int listen_fd = Listen(options);
  int ready[2];
  if (listen_fd < 0 || pipe2(ready, O_CLOEXEC) != 0) return 1;
  pid_t pid = ForkDaemon();
  if (pid < 0) return 1;
  if (pid == 0) {
    close(ready[0]);
    BecomeDaemon(options);  // It keeps listen_fd (and never accepts on it).
    if (!WritePidFile(options.pidfile, getpid())) std::exit(1);
    SignalReady(ready[1]);
    for (;;) pause();
  }
  close(ready[1]);
  if (!WaitForDaemon(ready[0])) return 1;
  Announce(options, listen_fd);
  return ServeConnections(listen_fd, &stop, ConnectionPolicy::kEchoLines);
}
