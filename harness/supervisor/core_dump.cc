#include "supervisor/core_dump.h"

#include <elf.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>

#include "supervisor/hang_evidence.h"

namespace stampede {
namespace {

std::string ReadFirstLine(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// Frames of the C library's abort path, never the crash's own code.
bool IsAbortPath(const std::string& function) {
  static const std::vector<std::string> kNames = {
      "raise",        "abort",          "__pthread_kill",
      "pthread_kill", "__assert_fail",  "__assert_fail_base",
      "__GI_",        "__libc_",        "__sanitizer",
      "__asan",       "__ubsan",        "__tsan",
      "__cxa_",       "std::terminate", "__gnu_cxx::__verbose_terminate_handler"};
  for (const auto& name : kNames) {
    if (function.rfind(name, 0) == 0) return true;
  }
  return false;
}

// The standard library's and the C library's own functions, below the code that called them.
bool IsLibraryFunction(const std::string& function) {
  for (const char* prefix : {"std::", "__gnu_cxx::", "__"}) {
    if (function.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

// `function` without its template argument lists: "Map<K, V>::find<int>" -> "Map::find"; the
// angle brackets of operator<, operator<< and operator<=> are kept.
std::string WithoutTemplateArguments(const std::string& function) {
  std::string out;
  int depth = 0;
  for (std::size_t i = 0; i < function.size(); ++i) {
    const char c = function[i];
    const bool in_operator_name = out.size() >= 8 && out.ends_with("operator");
    if (c == '<' && depth == 0 && in_operator_name) {
      while (i < function.size() &&
             (function[i] == '<' || function[i] == '=' || function[i] == '>')) {
        out += function[i++];
      }
      --i;
      continue;
    }
    if (c == '<') {
      ++depth;
    } else if (c == '>' && depth > 0) {
      --depth;
    } else if (depth == 0) {
      out += c;
    }
  }
  return out;
}

// A function's name as gdb prints it, without template arguments, ABI tags ("[abi:cxx11]") or
// the parameter list gdb adds to some names ("()", "(std::function<void ()>)"; a "(" that opens
// "(anonymous namespace)" or ends "operator(" is part of the name).
std::string BareName(const std::string& function) {
  static const std::regex kAbiTag(R"(\[abi:[^\]]*\])");
  static constexpr std::string_view kAnonymous = "(anonymous namespace)";
  std::string name = std::regex_replace(WithoutTemplateArguments(function), kAbiTag, "");
  for (auto open = name.find('('); open != std::string::npos; open = name.find('(', open + 1)) {
    if (name.compare(open, kAnonymous.size(), kAnonymous) == 0) {
      open += kAnonymous.size() - 1;
    } else if (!name.substr(0, open).ends_with("operator")) {
      name.resize(open);
      break;
    }
  }
  return name;
}

// A source file of the C library's, as its debug information names them ("./nptl/x.c",
// "../sysdeps/unix/sysv/linux/epoll_wait.c").
bool IsCLibrarySource(const std::string& file) {
  return file.rfind("./", 0) == 0 || file.find("sysdeps/") != std::string::npos;
}

// "#3  0x000055d0c0a1b2c3 in Worker::Serve (this=0x...) at src/worker.cc:88" or
// "#0  Worker::Serve (this=...) at src/worker.cc:88": [2] the function, [3] the file.
const std::regex& FrameWithSource() {
  static const std::regex kFrame(R"(^#(\d+)\s+(?:0x[0-9a-fA-F]+ in )?(.+?) \(.*\) at (\S+):\d+)");
  return kFrame;
}

// The function of a gdb frame line when it has a source location and is the program's own: not
// the standard library's, the C library's (by name or by source file) or the abort path's.
std::optional<std::string> OwnFunction(const std::string& frame_line) {
  std::smatch match;
  if (!std::regex_search(frame_line, match, FrameWithSource())) return std::nullopt;
  std::string function = BareName(match[2].str());
  if (IsLibraryFunction(function) || IsAbortPath(function) || IsCLibrarySource(match[3].str())) {
    return std::nullopt;
  }
  return function;
}

}  // namespace

CoreSearch CoreSearchFor(std::string pattern, const std::filesystem::path& cwd) {
  while (!pattern.empty() && (pattern.back() == '\n' || pattern.back() == ' ')) pattern.pop_back();
  if (pattern.empty()) return {{}, {}, "core_pattern is empty: the kernel writes no core"};
  if (pattern[0] == '|') {
    return {{}, {}, "core_pattern pipes cores to a program (" + pattern.substr(1) + ")"};
  }
  std::filesystem::path path(pattern);
  const auto dir = path.parent_path();
  if (dir.string().find('%') != std::string::npos) {
    return {{}, {}, "core_pattern's folder depends on the process (" + pattern + ")"};
  }
  std::string name = path.filename().string();
  name = name.substr(0, name.find('%'));
  if (dir.empty()) return {cwd, name, ""};
  return {dir.is_absolute() ? dir : cwd / dir, name, ""};
}

bool IsElfCore(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  Elf64_Ehdr header{};
  if (!in.read(reinterpret_cast<char*>(&header), sizeof header)) return false;
  return std::equal(header.e_ident, header.e_ident + SELFMAG, ELFMAG) && header.e_type == ET_CORE;
}

std::optional<std::filesystem::path> FindCore(const CoreSearch& search,
                                              std::filesystem::file_time_type since) {
  if (!search.unavailable.empty()) return std::nullopt;
  std::optional<std::filesystem::path> newest;
  std::filesystem::file_time_type newest_time;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(search.dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(search.prefix, 0) != 0 || !entry.is_regular_file(ec)) continue;
    const auto written = entry.last_write_time(ec);
    if (ec || written < since || (newest && written <= newest_time)) continue;
    if (!IsElfCore(entry.path())) continue;
    newest = entry.path();
    newest_time = written;
  }
  return newest;
}

std::string CrashSignature(const std::string& gdb_text, int frames) {
  const std::regex& kFrame = FrameWithSource();
  std::vector<std::string> found;
  std::istringstream lines(gdb_text);
  int last_number = -1;
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (line.rfind('#', 0) != 0) continue;
    const int number = std::atoi(line.c_str() + 1);
    if (number == 0 && last_number == 0) continue;  // gdb shows frame #0 on loading, then bt
    // The next thread's stack: only the crashing thread's counts.
    if (number < last_number || (number == 0 && last_number > 0)) break;
    last_number = number;
    if (!std::regex_search(line, match, kFrame)) continue;
    const std::string function = BareName(match[2].str());
    if (IsAbortPath(function)) continue;
    if (!found.empty() && found.back() == function) continue;  // inlined into itself
    found.push_back(function);
  }
  // The first frames of the program's own code; the library's only when there is none.
  std::vector<std::string> ours;
  for (const auto& function : found) {
    if (!IsLibraryFunction(function)) ours.push_back(function);
  }
  const auto& chosen = ours.empty() ? found : ours;
  std::string signature;
  for (std::size_t i = 0; i < chosen.size() && static_cast<int>(i) < frames; ++i) {
    signature += (signature.empty() ? "" : " < ") + chosen[i];
  }
  return signature;
}

std::string WaitingFrames(const std::string& gdb_text) {
  std::set<std::string> waiting;
  bool thread_done = false;  // this thread's frame is taken, or it is running its own code
  int last_number = -1;
  std::istringstream lines(gdb_text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind('#', 0) != 0) continue;
    const int number = std::atoi(line.c_str() + 1);
    if (number <= last_number) thread_done = false;  // numbering starts again: the next thread
    last_number = number;
    if (thread_done) continue;
    auto own = OwnFunction(line);
    // Innermost frame in the program's own code: running, not waiting, and where it runs is
    // only where gdb happened to stop it.
    if (own && number == 0) thread_done = true;
    if (!own || thread_done) continue;
    waiting.insert(*own);
    thread_done = true;
  }
  std::string joined;
  for (const auto& function : waiting) joined += (joined.empty() ? "" : ", ") + function;
  return joined;
}

nlohmann::json CoreEvidence(const std::filesystem::path& program, const std::filesystem::path& cwd,
                            std::filesystem::file_time_type since,
                            const std::filesystem::path& save_to, bool keep,
                            std::chrono::milliseconds timeout) {
  const auto search = CoreSearchFor(ReadFirstLine("/proc/sys/kernel/core_pattern"), cwd);
  if (!search.unavailable.empty()) return {{"core", {{"unavailable", search.unavailable}}}};
  const auto core = FindCore(search, since);
  if (!core) {
    return {
        {"core",
         {{"unavailable", "no core file named " + search.prefix + "* in " + search.dir.string() +
                              " (the target may have changed its "
                              "folder or its core limit)"}}}};
  }
  nlohmann::json evidence = {{"core", {{"path", core->string()}, {"kept", keep}}}};
  evidence["backtraces"] =
      RunGdb({program.string(), core->string()}, {"bt", "thread apply all bt"}, save_to, timeout);
  const std::string text = evidence["backtraces"].value("text", "");
  // gdb names the command line the core came from: another program's core (a target that
  // crashed at the same moment in the same folder) is told apart by it.
  static const std::regex kGeneratedBy("Core was generated by `([^'\n]*)'");
  if (std::smatch match; std::regex_search(text, match, kGeneratedBy)) {
    evidence["core"]["generated_by"] = match[1].str();
  }
  const std::string signature = CrashSignature(text);
  if (!signature.empty()) evidence["signature"] = signature;
  if (!keep) {
    std::error_code ec;
    std::filesystem::remove(*core, ec);
  }
  return evidence;
}

}  // namespace stampede
