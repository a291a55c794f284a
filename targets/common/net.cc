#include "net.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace {

bool ParseIpv4Loopback(const std::string& host, int port, LoopbackAddress* out) {
  sockaddr_in addr{};
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) return false;
  if ((ntohl(addr.sin_addr.s_addr) >> 24) != 127) return false;
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  std::memcpy(&out->storage, &addr, sizeof addr);
  out->length = sizeof addr;
  out->display = host;
  return true;
}

bool ParseIpv6Loopback(const std::string& host, int port, LoopbackAddress* out) {
  sockaddr_in6 addr{};
  if (inet_pton(AF_INET6, host.c_str(), &addr.sin6_addr) != 1) return false;
  if (!IN6_IS_ADDR_LOOPBACK(&addr.sin6_addr)) return false;
  addr.sin6_family = AF_INET6;
  addr.sin6_port = htons(static_cast<uint16_t>(port));
  std::memcpy(&out->storage, &addr, sizeof addr);
  out->length = sizeof addr;
  out->display = "[::1]";
  return true;
}

std::string Errno(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

}  // namespace

bool ParseLoopbackHost(const std::string& host, int port, LoopbackAddress* out) {
  if (host == "localhost") return ParseIpv4Loopback("127.0.0.1", port, out);
  return ParseIpv4Loopback(host, port, out) || ParseIpv6Loopback(host, port, out);
}

int OpenListener(const LoopbackAddress& address, std::string* error) {
  int fd = socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = Errno("socket");
    return -1;
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&address.storage), address.length) != 0) {
    *error = Errno("bind");
  } else if (listen(fd, SOMAXCONN) != 0) {
    *error = Errno("listen");
  } else {
    return fd;
  }
  close(fd);
  return -1;
}

int ConnectLoopback(const LoopbackAddress& address, std::string* error) {
  int fd = socket(address.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = Errno("socket");
    return -1;
  }
  while (connect(fd, reinterpret_cast<const sockaddr*>(&address.storage), address.length) != 0) {
    if (errno == EINTR) continue;
    *error = Errno("connect");
    close(fd);
    return -1;
  }
  SetNoDelay(fd);
  return fd;
}

void SetNoDelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

bool SetNonBlocking(int fd, bool non_blocking) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return false;
  flags = non_blocking ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  return fcntl(fd, F_SETFL, flags) == 0;
}

int LocalPort(int fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) return -1;
  if (storage.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
}

std::string PeerAddress(int fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) return "?";
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (storage.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&storage);
    inet_ntop(AF_INET, &v4->sin_addr, host, sizeof host);
    return std::string(host) + ":" + std::to_string(ntohs(v4->sin_port));
  }
  const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&storage);
  inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof host);
  port = ntohs(v6->sin6_port);
  return "[" + std::string(host) + "]:" + std::to_string(port);
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void DiscardPendingInput(int fd) {
  char scratch[4096];
  while (recv(fd, scratch, sizeof scratch, MSG_DONTWAIT) > 0) {
  }
}

bool ReadAvailable(int fd, size_t limit, std::string* in, bool* eof) {
  char chunk[16 * 1024];
  while (in->size() < limit) {
    ssize_t n = recv(fd, chunk, std::min(sizeof chunk, limit - in->size()), MSG_DONTWAIT);
    if (n > 0) {
      in->append(chunk, static_cast<size_t>(n));
    } else if (n == 0) {
      *eof = true;
      return true;
    } else if (errno != EINTR) {
      return errno == EAGAIN || errno == EWOULDBLOCK;
    }
  }
  return true;
}

bool WriteAvailable(int fd, std::string* out, size_t* offset) {
  while (*offset < out->size()) {
    ssize_t n = send(fd, out->data() + *offset, out->size() - *offset, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK;
    }
    *offset += static_cast<size_t>(n);
  }
  out->clear();
  *offset = 0;
  return true;
}

int ListenAndAnnounce(const char* program, const LoopbackAddress& address, int port) {
  std::string error;
  int fd = OpenListener(address, &error);
  if (fd < 0) {
    std::fprintf(stderr, "%s: %s:%d: %s\n", program, address.display.c_str(), port, error.c_str());
    return -1;
  }
  std::printf("listening on %s:%d\n", address.display.c_str(), LocalPort(fd));
  std::fflush(stdout);
  return fd;
}
