// Files that readers never see half-written.
#pragma once

#include <filesystem>
#include <string>

#include "core/status.h"

namespace stampede {

// Writes `content` to a temporary file beside `path`, syncs it, and renames it over `path`.
Status WriteFileAtomically(const std::filesystem::path& path, const std::string& content);

}  // namespace stampede
