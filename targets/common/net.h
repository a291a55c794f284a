// Socket helpers shared by the sample targets. Loopback only, by design: the target lab
// must never be reachable from another machine.
#pragma once

#include <sys/socket.h>

#include <string>
#include <string_view>

// A resolved loopback listening address.
struct LoopbackAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  std::string display;  // "127.0.0.1" or "[::1]", for the startup line.
};

// Accepts "localhost", an IPv4 literal in 127.0.0.0/8 or the IPv6 literal "::1". Returns false
// (leaving *out untouched) for anything else, including names and non-loopback addresses.
bool ParseLoopbackHost(const std::string& host, int port, LoopbackAddress* out);

// Opens a non-blocking, close-on-exec TCP socket with SO_REUSEADDR, bound to `address` and
// listening with the largest backlog the kernel allows. Returns the fd, or -1 with *error set.
int OpenListener(const LoopbackAddress& address, std::string* error);

// Connects a blocking, close-on-exec TCP socket to `address` (a loopback address, so the connect
// completes or fails at once) and disables Nagle's algorithm on it. Returns the fd, or -1 with
// *error set.
int ConnectLoopback(const LoopbackAddress& address, std::string* error);

// Disables Nagle's algorithm on a TCP socket (request/response traffic through the proxy).
void SetNoDelay(int fd);

// Switches `fd` to blocking (false) or non-blocking (true) mode. Returns false on failure.
bool SetNonBlocking(int fd, bool non_blocking);

// The port a bound socket listens on (useful with --port 0), or -1.
int LocalPort(int fd);

// The peer of a connected socket as "127.0.0.1:PORT" or "[::1]:PORT", or "?" if unknown.
std::string PeerAddress(int fd);

// Opens the listener and prints the startup line "listening on HOST:PORT" (flushed), which
// the harness's log probes wait for. Returns the fd, or -1 after printing
// "PROGRAM: HOST:PORT: why" to stderr.
int ListenAndAnnounce(const char* program, const LoopbackAddress& address, int port);

// Writes all of `data` to a blocking socket, retrying on EINTR and partial writes. Never raises
// SIGPIPE. Returns false if the peer is gone or the write timed out.
bool SendAll(int fd, std::string_view data);

// Reads and discards whatever is already queued on `fd` without blocking, so that closing it does
// not turn into a reset that destroys the last response before the peer has read it.
void DiscardPendingInput(int fd);

// Non-blocking read: appends what `fd` has ready to *in, until EAGAIN or *in holds `limit`
// bytes. Sets *eof when the peer has shut down its sending side. Returns false on a socket error.
bool ReadAvailable(int fd, size_t limit, std::string* in, bool* eof);

// Non-blocking write of out[*offset..] until done or EAGAIN, advancing *offset; once everything
// is sent, clears *out and resets *offset. Never raises SIGPIPE. Returns false on a socket error.
bool WriteAvailable(int fd, std::string* out, size_t* offset);
