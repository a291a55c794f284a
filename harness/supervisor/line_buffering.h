// Making a target's C stdio output line-buffered into a pipe or file, as on a terminal, so that
// what it printed before it was killed reaches its log.
#pragma once

#include <map>
#include <string>

#include "core/status.h"

namespace stampede {

// Where Debian's coreutils keeps the library `stdbuf` preloads.
inline constexpr const char* kLibStdbuf = "/usr/libexec/coreutils/libstdbuf.so";

// Adds to `env` what `stdbuf -oL` would: kLibStdbuf appended to LD_PRELOAD (the one in `env`,
// else ours) and _STDBUF_O=L; and verify_asan_link_order=0 to ASAN_OPTIONS, since an ASan
// build otherwise refuses to run with a library preloaded before its runtime. Works for
// dynamically linked programs that write with C stdio; an EnvironmentError when the library
// is missing.
Status LineBufferedEnvironment(std::map<std::string, std::string>& env);

}  // namespace stampede
