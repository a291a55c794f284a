#include "scenario/text_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace stampede {
namespace {

// Closes the descriptor it holds.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

Error CannotRead(const std::filesystem::path& path, int error) {
  return InvalidInput("cannot read \"" + path.string() + "\": " + std::strerror(error));
}

// `size`: the file's size when known, else 0. Sizes of a KiB and more also come in bytes, so
// that 1.0 MiB over a 1 MiB limit reads right.
Error TooLarge(const std::filesystem::path& path, std::size_t size, std::size_t max_bytes,
               const std::string& what) {
  std::string size_text;
  if (size > 0) {
    size_text = ByteSize(size) + (size >= 1024 ? fmt::format(" ({} bytes)", size) : "") + ", ";
  }
  return InvalidInput(path.string() + ": " + size_text + "larger than the " + ByteSize(max_bytes) +
                      " " + what + " may have");
}

// Reads until end of file or until more than `max_bytes` have arrived.
Result<std::string> ReadAtMost(int fd, const std::filesystem::path& path, std::size_t max_bytes,
                               const std::string& what) {
  std::string text;
  char buffer[65536];
  while (text.size() <= max_bytes) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return CannotRead(path, errno);
    if (n == 0) return text;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return TooLarge(path, 0, max_bytes, what);
}

}  // namespace

std::string ByteSize(std::size_t bytes) {
  if (bytes < 1024) return fmt::format("{} bytes", bytes);
  const bool mebibytes = bytes >= 1024 * 1024;
  const double value = static_cast<double>(bytes) / (mebibytes ? 1024.0 * 1024.0 : 1024.0);
  const char* unit = mebibytes ? "MiB" : "KiB";
  if (value == static_cast<double>(static_cast<std::size_t>(value))) {
    return fmt::format("{} {}", static_cast<std::size_t>(value), unit);
  }
  return fmt::format("{:.1f} {}", value, unit);
}

Result<std::string> ReadTextFile(const std::filesystem::path& path, std::size_t max_bytes,
                                 const std::string& what) {
  // O_NONBLOCK only so that opening a FIFO without a writer does not block; reads block.
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) return CannotRead(path, errno);
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return CannotRead(path, errno);
  if (S_ISDIR(info.st_mode)) return InvalidInput(path.string() + " is a directory, not " + what);
  if (S_ISREG(info.st_mode) && static_cast<std::uintmax_t>(info.st_size) > max_bytes) {
    return TooLarge(path, static_cast<std::size_t>(info.st_size), max_bytes, what);
  }
  const int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags >= 0) ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK);
  return ReadAtMost(fd.get(), path, max_bytes, what);
}

}  // namespace stampede
