// The pidfile and the lifetime alarm: what lets a test or a script find, and bound, a process
// that has left its parent behind.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "hostile.h"

bool WritePidFile(const std::string& path, pid_t pid) {
  if (path.empty()) return true;
  std::string temporary = path + ".tmp." + std::to_string(pid);
  std::FILE* file = std::fopen(temporary.c_str(), "w");
  bool written = file != nullptr && std::fprintf(file, "%d\n", static_cast<int>(pid)) > 0;
  if (file != nullptr && std::fclose(file) != 0) written = false;
  if (written && std::rename(temporary.c_str(), path.c_str()) == 0) return true;
  std::fprintf(stderr, "hostile: pidfile %s: %s\n", path.c_str(), std::strerror(errno));
  std::remove(temporary.c_str());
  return false;
}

void ArmLifetime(const Options& options) {
  if (options.lifetime_s > 0) alarm(static_cast<unsigned>(options.lifetime_s));
}
