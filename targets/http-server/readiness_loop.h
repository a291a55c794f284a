// The event loop of the readiness-based backends (epoll and poll): non-blocking sockets, one
// thread, and a Poller that says which of them are ready. Everything but the waiting itself is
// here, so the two backends answer, pipeline, time and stop exactly alike; backend_epoll.cc and
// backend_poll.cc hold only their Poller.
//
// The listening socket is drained with accept4() until EAGAIN on every readiness event, except
// with ListenerMode::kAcceptOnceEdgeTriggered (--bug accept-once, epoll only): the listener is
// watched edge-triggered and only one connection is accepted per event, so connections that
// arrived together stay queued in the kernel.
#pragma once

#include <cstdint>
#include <vector>

#include "server.h"

// What to watch a descriptor for (Poller::Add/Modify): a mask of these bits.
inline constexpr uint32_t kReadable = 1;
inline constexpr uint32_t kWritable = 2;
// Report readiness once per change instead of for as long as it lasts (epoll's EPOLLET).
inline constexpr uint32_t kEdgeTriggered = 4;

struct ReadyEvent {
  uint64_t key = 0;
  bool readable = false;
  bool writable = false;
  bool failed = false;  // Error or hang-up: the connection is gone in both directions.
};

// The waiting mechanism. Keys are the caller's names for the descriptors (event_loop.h). Not
// thread-safe.
class Poller {
 public:
  virtual ~Poller() = default;

  // Prepares the mechanism. Returns false with errno set.
  virtual bool Open() { return true; }
  // Starts watching `fd` under `key` / changes what it is watched for / stops watching it (call
  // Remove before closing `fd`). Add and Modify return false with errno set.
  virtual bool Add(int fd, uint64_t key, uint32_t events) = 0;
  virtual bool Modify(int fd, uint64_t key, uint32_t events) = 0;
  virtual void Remove(int fd, uint64_t key) = 0;
  // Waits at most `timeout_ms` (-1: no limit) until a watched descriptor is ready, and appends
  // what is ready to *ready (it may name keys removed since; error and hang-up are reported even
  // for descriptors watched for nothing). An interrupted wait returns true with nothing ready.
  // Returns false with errno set on failure.
  virtual bool Wait(int timeout_ms, std::vector<ReadyEvent>* ready) = 0;
  // The mechanism, for error messages ("epoll", "poll").
  virtual const char* name() const = 0;
};

enum class ListenerMode {
  kDrain,                    // Level-triggered; accept until EAGAIN. Correct.
  kAcceptOnceEdgeTriggered,  // --bug accept-once: edge-triggered, one accept() per event.
};

// Serves with `poller` (borrowed) until stopped, as server.h describes; returns the exit code.
int RunReadinessLoop(const ServerContext& context, Poller& poller, ListenerMode listener_mode);
