// Links from a report file to the run folders and evidence it describes: relative to the
// report's own folder, so a report folder copied or served together with the suite still works.
// Reads the filesystem (which evidence files exist) at render time.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace stampede::reports {

// The href (percent-encoded, "/"-separated) of `target` as seen from a document that will be
// written at `document`. A folder gets a trailing "/". Paths need not exist.
std::string RelativeHref(const std::filesystem::path& target,
                         const std::filesystem::path& document);

// The regular files directly in `run_dir` that a reader wants, in this order: verdict.json,
// history.jsonl, then every other file by name (target logs, backtraces, ...); at most `limit`.
// Empty when the folder does not exist.
std::vector<std::filesystem::path> EvidenceFiles(const std::filesystem::path& run_dir,
                                                 std::size_t limit = 24);

}  // namespace stampede::reports
