#include "core/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace stampede {

Status WriteFileAtomically(const std::filesystem::path& path, const std::string& content) {
  auto temporary = path;
  temporary += ".tmp." + std::to_string(getpid());
  int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return EnvironmentError("cannot write " + temporary.string() + ": " + std::strerror(errno));
  std::size_t written = 0;
  while (written < content.size()) {
    auto n = write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int error = errno;
      close(fd);
      std::remove(temporary.c_str());
      return EnvironmentError("cannot write " + temporary.string() + ": " + std::strerror(error));
    }
    written += static_cast<std::size_t>(n);
  }
  fsync(fd);
  close(fd);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return EnvironmentError("cannot rename to " + path.string() + ": " + std::strerror(errno));
  }
  return {};
}

}  // namespace stampede
