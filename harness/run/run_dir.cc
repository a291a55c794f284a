#include "run/run_dir.h"

#include <ctime>

namespace stampede {
namespace {

std::string Format(std::chrono::system_clock::time_point time, const char* pattern,
                   const char* millis_separator, const char* suffix) {
  auto seconds = std::chrono::system_clock::to_time_t(time);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()) % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, pattern, &utc);
  char millis_text[8];
  std::snprintf(millis_text, sizeof millis_text, "%03d", static_cast<int>(millis.count()));
  return std::string(buffer) + millis_separator + millis_text + suffix;
}

}  // namespace

std::string Iso8601(std::chrono::system_clock::time_point time) {
  return Format(time, "%Y-%m-%dT%H:%M:%S", ".", "Z");
}

Result<std::filesystem::path> PrepareRunDir(const std::filesystem::path& explicit_dir,
                                            const std::filesystem::path& runs_root,
                                            const std::string& scenario_name,
                                            std::chrono::system_clock::time_point now) {
  std::error_code ec;
  if (!explicit_dir.empty()) {
    std::filesystem::create_directories(explicit_dir, ec);
    if (ec) return EnvironmentError("cannot create " + explicit_dir.string() + ": " + ec.message());
    return explicit_dir;
  }
  auto parent = runs_root / scenario_name;
  auto stamp = Format(now, "%Y%m%d-%H%M%S", "-", "");
  auto dir = parent / stamp;
  for (int n = 1; std::filesystem::exists(dir); ++n)
    dir = parent / (stamp + "-" + std::to_string(n));
  std::filesystem::create_directories(dir, ec);
  if (ec) return EnvironmentError("cannot create " + dir.string() + ": " + ec.message());
  auto latest = parent / "latest";
  auto temporary = parent / (".latest." + dir.filename().string());
  std::filesystem::create_directory_symlink(dir.filename(), temporary, ec);
  if (!ec) std::filesystem::rename(temporary, latest, ec);
  return dir;
}

nlohmann::json RunArtifacts(const std::filesystem::path& dir, const std::filesystem::path& logs_dir,
                            const std::vector<std::string>& targets) {
  auto logs = nlohmann::json::object();
  for (const auto& name : targets) {
    logs[name] = {{"stdout", (logs_dir / (name + ".stdout")).string()},
                  {"stderr", (logs_dir / (name + ".stderr")).string()}};
  }
  return {{"dir", dir.string()},
          {"verdict", (dir / "verdict.json").string()},
          {"history", (dir / "history.jsonl").string()},
          {"logs", std::move(logs)}};
}

}  // namespace stampede
