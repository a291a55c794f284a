// Runs saved inputs through a fuzz harness without libFuzzer, so that the ordinary build
// replays every seed of the corpus and every saved crash as a ctest case (as CLI11 does with
// tests/fuzzFail).
//
// Usage: fuzz_replay_<name> PATH...
// A PATH is an input file or a folder whose regular files (not recursively, README.md left
// out, sorted by name) are inputs. Exit 0 once every input has run; a broken contract or a
// sanitizer report aborts the process after naming the input on stderr. Exit 2 when a path
// cannot be read or no input was found at all: a missing corpus is a mistake, not a pass.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_check.h"

namespace {

namespace fs = std::filesystem;

// The inputs under `path`, sorted; nullopt (after a message) when it cannot be read.
std::optional<std::vector<fs::path>> InputsOf(const fs::path& path) {
  std::error_code error;
  if (fs::is_regular_file(path, error)) return std::vector<fs::path>{path};
  if (!fs::is_directory(path, error)) {
    std::fprintf(stderr, "replay: %s is neither a file nor a folder\n", path.c_str());
    return std::nullopt;
  }
  std::vector<fs::path> inputs;
  for (const auto& entry : fs::directory_iterator(path, error)) {
    if (entry.is_regular_file() && entry.path().filename() != "README.md") {
      inputs.push_back(entry.path());
    }
  }
  if (error) {
    std::fprintf(stderr, "replay: cannot list %s: %s\n", path.c_str(), error.message().c_str());
    return std::nullopt;
  }
  std::sort(inputs.begin(), inputs.end());
  return inputs;
}

// The file's bytes; nullopt when it cannot be read.
std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs one input; false when it cannot be read.
bool Replay(const fs::path& path) {
  auto bytes = ReadFile(path);
  if (!bytes) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    return false;
  }
  std::fprintf(stderr, "replay: %s (%zu bytes)\n", path.c_str(), bytes->size());
  std::fflush(stderr);  // named before a crash can cut the output short
  // A copy of exactly the input's size, so that ASan sees a read past its end.
  std::vector<std::uint8_t> data(bytes->begin(), bytes->end());
  LLVMFuzzerTestOneInput(data.data(), data.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    auto inputs = InputsOf(argv[i]);
    if (!inputs) return 2;
    for (const auto& input : *inputs) {
      if (!Replay(input)) return 2;
      ++replayed;
    }
  }
  if (replayed == 0) {
    std::fprintf(stderr, "replay: no inputs (usage: %s FILE|FOLDER...)\n", argv[0]);
    return 2;
  }
  std::fprintf(stderr, "replay: %zu inputs ran\n", replayed);
  return 0;
}
