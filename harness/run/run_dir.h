// Where a run's files go: an explicit folder, or runs/<scenario>/<timestamp>/ with a
// `latest` link beside it.
#pragma once

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace stampede {

// Creates the folder. With `explicit_dir` non-empty that folder is used as is; otherwise a
// new timestamped folder under `runs_root`/`scenario_name` is made and
// `runs_root`/`scenario_name`/latest is pointed at it.
Result<std::filesystem::path> PrepareRunDir(const std::filesystem::path& explicit_dir,
                                            const std::filesystem::path& runs_root,
                                            const std::string& scenario_name,
                                            std::chrono::system_clock::time_point now);

// The verdict's artifacts: {"dir", "verdict", "history", "logs": {TARGET: {"stdout",
// "stderr"}}}; the logs of `targets` are in `logs_dir` (the run folder, or a cycle's).
nlohmann::json RunArtifacts(const std::filesystem::path& dir, const std::filesystem::path& logs_dir,
                            const std::vector<std::string>& targets);

// "2026-11-23T13:15:35.123Z"
std::string Iso8601(std::chrono::system_clock::time_point time);

}  // namespace stampede
