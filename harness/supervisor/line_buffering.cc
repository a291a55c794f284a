#include "supervisor/line_buffering.h"

#include <cstdlib>
#include <filesystem>

namespace stampede {

namespace {

// `env`'s value of `name` (else ours), with `item` appended after `separator`.
std::string Appended(const std::map<std::string, std::string>& env, const std::string& name,
                     const char* separator, const std::string& item) {
  std::string value;
  if (auto it = env.find(name); it != env.end()) {
    value = it->second;
  } else if (const char* ours = std::getenv(name.c_str()); ours != nullptr) {
    value = ours;
  }
  return value.empty() ? item : value + separator + item;
}

}  // namespace

Status LineBufferedEnvironment(std::map<std::string, std::string>& env) {
  if (!std::filesystem::exists(kLibStdbuf)) {
    return EnvironmentError(std::string("line_buffered needs coreutils' ") + kLibStdbuf +
                            " (the library stdbuf uses), which is not on this machine");
  }
  env["LD_PRELOAD"] = Appended(env, "LD_PRELOAD", ":", kLibStdbuf);
  env["_STDBUF_O"] = "L";
  env["ASAN_OPTIONS"] = Appended(env, "ASAN_OPTIONS", ":", "verify_asan_link_order=0");
  return {};
}

}  // namespace stampede
