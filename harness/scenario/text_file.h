// Bounded reading of the files a scenario names (the scenario itself, its file templates), so
// that a huge file, a device or a folder is a clear error and never a long read.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "core/status.h"

namespace stampede {

// The content of `path`, which must be at most `max_bytes` long. A missing or unreadable
// path (with the system's reason), a directory, or a longer file is an InvalidInput naming
// the path; `what` names the kind of file expected ("a scenario file"). A regular file's size is
// checked before anything is read; from anything else (a pipe, a device) at most max_bytes + 1
// bytes are read. Opening a FIFO does not wait for a writer: without one it reads as empty.
Result<std::string> ReadTextFile(const std::filesystem::path& path, std::size_t max_bytes,
                                 const std::string& what);

// A size for messages: "512 bytes", "64 KiB", "1.5 MiB".
std::string ByteSize(std::size_t bytes);

}  // namespace stampede
