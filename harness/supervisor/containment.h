// Containment: where the processes stampede starts live, so that none outlives it.
//
// EnterContainment(), called by main() before any other thread or child exists, makes a new
// PID namespace whose init is a small reaper forked here; every child started inside a
// ContainerScope (ChildProcess does that for targets) is born in it, and with it everything it
// starts: daemons that call setsid, grandchildren.
// However stampede ends (return from main, _Exit, SIGKILL) the reaper dies with it
// (PR_SET_PDEATHSIG and end of file on its pipe), and the kernel then kills every process left
// in the namespace. Where no PID namespace can be made (no CAP_SYS_ADMIN, e.g. an unprivileged
// CI runner) stampede falls back to being a child subreaper: orphans become its children and
// each run sweeps them (SweepStrays), but a SIGKILL of stampede can leave them behind.
//
// Threading: EnterContainment and LeaveContainment on the main thread only; the rest from any
// thread.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "history/event.h"

namespace stampede {

enum class ContainmentKind {
  kSubreaper,     // orphans are reparented to stampede; swept at the end of each run
  kPidNamespace,  // a PID namespace torn down by the kernel when stampede dies
};

const char* ToString(ContainmentKind kind);

struct ContainmentState {
  ContainmentKind kind = ContainmentKind::kSubreaper;
  std::string note;               // why the stronger kind is not in force; empty when it is
  bool network_isolated = false;  // IsolateNetwork succeeded
};

// An EnvironmentError when `wanted` and IsolateNetwork has not succeeded (a scenario that says
// "isolation": "network" run where it was not set up).
Status RequireNetworkIsolation(bool wanted);

// Moves stampede (and so everything it starts later) into a network namespace of its own with
// only loopback up: targets that bind every address are safe to test, and runs in separate
// stampede processes can use the same fixed ports at once. Must be called by main() before any
// thread exists and before EnterContainment. An EnvironmentError when the kernel refuses.
Status IsolateNetwork();

// Sets containment up once; later calls return the state of the first. STAMPEDE_CONTAINMENT=
// subreaper in the environment skips the namespace (to test the fallback).
const ContainmentState& EnterContainment();
// The state in force: a process that never called EnterContainment is a subreaper.
const ContainmentState& CurrentContainment();
// Ends the reaper and waits until the kernel has killed everything left in the namespace.
// Called at exit (registered by EnterContainment); harmless when there is no namespace.
void LeaveContainment();

// While alive, children the calling thread forks are born in the container's PID namespace
// (when there is one). The thread must not start threads meanwhile: the kernel refuses a
// thread whose creator's namespace for children differs from its own (EINVAL).
class ContainerScope {
 public:
  ContainerScope();
  ~ContainerScope();
  ContainerScope(const ContainerScope&) = delete;
  ContainerScope& operator=(const ContainerScope&) = delete;

  // The parent pid a child forked in this scope sees from getppid() while stampede is alive:
  // 0 when it is born in the namespace (its parent lives outside it), else getpid().
  int expected_parent() const;

 private:
  bool switched_ = false;
};

// Every target of a run carries kRunMarkVariable=MARK/TARGET in its environment (RunMarkValue);
// its descendants inherit it, daemons included.
inline constexpr const char* kRunMarkVariable = "STAMPEDE_RUN";
inline std::string RunMarkValue(const std::string& mark, const std::string& target) {
  return mark + "/" + target;
}

// A fresh value for kRunMarkVariable, unique within this machine's uptime.
std::string NewRunMark();

struct StrayProcess {
  int pid = 0;
  std::string command;  // its command line, arguments separated by spaces
  std::string target;   // the target whose mark it carries
};

// Every live process (zombies aside) whose environment carries `mark` (RunMarkValue) and whose
// process group is none of `known_groups` (groups the caller kills itself): what a run leaves
// behind that escaped its target's process group (setsid, setpgid).
std::vector<StrayProcess> FindStrays(const std::string& mark, const std::vector<int>& known_groups);

// Kills every stray of `mark` (FindStrays) with SIGKILL, again until none is found, reaps those
// that are stampede's children, and waits (at most about two seconds) until they are gone.
// Returns the processes killed.
std::vector<StrayProcess> SweepStrays(const std::string& mark,
                                      const std::vector<int>& known_groups);

// The verdict's "containment": {"kind", "network" ("isolated" or "host"), "note" (when the
// namespace is not in force),
// "strays_killed": [{"target", "pid", "command"}] from the kStrayKilled events}.
nlohmann::json DescribeContainment(const ContainmentState& state,
                                   const std::vector<ProcessEvent>& events);

}  // namespace stampede
