// Post-mortem stacks of a crashed target: where the kernel put its core (core_pattern), gdb's
// backtraces from it, and a signature of the crash that stays the same from run to run.
#pragma once

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace stampede {

// Where to look for the core of a process that ran in `cwd`: files named `prefix`... in
// `dir`; or why no core can be found there (`unavailable` not empty).
struct CoreSearch {
  std::filesystem::path dir;
  std::string prefix;
  std::string unavailable;
};

// From the text of /proc/sys/kernel/core_pattern: "core" gives {cwd, "core"} (also core.PID
// when core_uses_pid is set); "/var/crash/core.%e.%p" gives {"/var/crash", "core."}; a pattern
// piped to a program ("|/usr/lib/systemd/systemd-coredump ...") or with a % in its directory
// part is unavailable, naming the pattern.
CoreSearch CoreSearchFor(std::string pattern, const std::filesystem::path& cwd);

// True when `path` is an ELF core file (e_type ET_CORE).
bool IsElfCore(const std::filesystem::path& path);

// The newest ELF core under `search` last written at or after `since`; nullopt when none.
std::optional<std::filesystem::path> FindCore(const CoreSearch& search,
                                              std::filesystem::file_time_type since);

// "f < g < h": the first `frames` functions of the crashing thread (the first "#N" frames of
// gdb's `bt` output) that have a source location ("at file.cc:12"), are not in the C library's
// abort path and are the program's own (not std::, __gnu_cxx:: or __*; those only when no
// frame is), without addresses, arguments or template arguments, a function inlined into
// itself once; empty when no frame has a source location.
std::string CrashSignature(const std::string& gdb_text, int frames = 3);

// Where the threads of a live process wait, from gdb's `thread apply all bt`: for each thread
// blocked in a library (its innermost frame is not the program's own code), its innermost frame
// that has a source location, is the program's own (named as in CrashSignature) and is not in
// the C library's sources ("./nptl/...", ".../sysdeps/..."); the distinct ones sorted and joined
// by ", ". A thread running its own code (where gdb stopped it is chance) or with no such frame
// adds nothing; empty when no thread does.
std::string WaitingFrames(const std::string& gdb_text);

// The evidence of a core dump: {"core": {"path", "kept"} or {"unavailable"}, "backtraces":
// RunGdb's result with the crashing thread first, "signature"}. Looks for the core of
// `program`, which ran in `cwd` and started at `since`; gdb's text goes to `save_to`. The core
// is deleted after the backtrace unless `keep`.
nlohmann::json CoreEvidence(const std::filesystem::path& program, const std::filesystem::path& cwd,
                            std::filesystem::file_time_type since,
                            const std::filesystem::path& save_to, bool keep,
                            std::chrono::milliseconds timeout);

}  // namespace stampede
