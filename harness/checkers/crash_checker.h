// Crash checker: finds target processes that ended when they should not have.
//
// A process kExited event is a crash when
//   (a) its phase is kStartup or kRunning: the target ended while it should have been running,
//       whatever its status (exit code 0 included); or
//   (b) its phase is kShutdown, `clean` is false and `killed_by_harness` is false: it was asked
//       to stop and ended with a status its stop settings do not accept. A harness kill only
//       follows a kStopTimeout, which CheckHangs reports, so it is not reported again here.
// The exit of a client under test (evidence.role "client", see IsClientEvent) is expected: it
// is a crash only when a signal ended it, it dumped core, or its stderr told of a sanitizer
// report or a failed assertion (evidence.title). A plain non-zero exit is CheckClientRun's.
//
// Pure function of the history; safe to call from any thread on a History nobody mutates.
#pragma once

#include <vector>

#include "checkers/failure.h"
#include "history/event.h"
#include "history/history.h"

namespace stampede {

// True when `event` is a crash by the rules above (false for every action but kExited).
bool IsCrash(const ProcessEvent& event);

// True for a crash by (a) that is a plain exit: an exit status (0 included), no core dumped,
// no crash title on stderr, not a client under test. The target stopped serving by its own
// decision ("listen() returned 0 -- server stopped accepting", exit 3): reported as kind
// kExit, not kCrash, which stays for signals, cores, sanitizer reports and assertions.
bool IsUnexpectedExit(const ProcessEvent& event);

// One Failure per crashed exit, in history order: kExit when IsUnexpectedExit, else kCrash;
// with
//   target:   the event's target;
//   summary:  one line, e.g. "server died by SIGSEGV while running (pid 123)",
//             "server exited unexpectedly with status 3 while running (pid 123)" or
//             "server exited with status 3 during shutdown in cycle 7 (pid 123); clean exits: 0:
//             <title>", the clean exits being evidence.clean_exits (a stop or a client's end
//             only) and the title the first line of evidence.title when the supervisor set one;
//   evidence: every key of the event's evidence object (title, stderr_tail, stderr_path, ...),
//             then signal (name such as "SIGSEGV", or null), exit_code (int or null),
//             core_dumped, phase ("startup" | "running" | "shutdown"), pid and time_ms
//             (truncated to whole ms), and cycle when the event has one; on a key clash the
//             checker's own value wins.
std::vector<Failure> CheckCrashes(const History& history);

}  // namespace stampede
