// EventLoop: what the single-threaded backends (epoll, poll and uring) share, whatever way they
// wait for I/O: the table of open connections, the timers, and the graceful stop of server.h.
//
// Keys name what an event, a completion or a timer is for: kListenerKey, kSignalKey and
// kWakeKey name the listening socket and StopSignal's fds; connections get unique keys from
// kFirstConnectionKey up, never reused, so a stale event or timer of a closed connection finds
// nothing and is dropped.
//
// A backend derives from EventLoop<Entry> and supplies the hooks below. Entry is its record of
// one open connection: constructible from (int fd, const ServerContext&), with public members
// `int fd` (the connection's socket, which the entry owns) and `HttpConnection http`.
// Not thread-safe: everything runs on the thread that calls Run().
#pragma once

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "connection.h"
#include "net.h"
#include "server.h"
#include "stop_signal.h"
#include "timer_queue.h"

inline constexpr uint64_t kListenerKey = 0;
inline constexpr uint64_t kSignalKey = 1;
inline constexpr uint64_t kWakeKey = 2;
inline constexpr uint64_t kFirstConnectionKey = 16;

template <typename Entry>
class EventLoop {
 public:
  // `context` is borrowed and outlives the loop. The loop owns context.listen_fd from now on.
  explicit EventLoop(const ServerContext& context) : context_(context) {}
  virtual ~EventLoop() {
    for (auto& [key, entry] : connections_) close(entry.fd);
    if (!stopping_) close(context_.listen_fd);
  }
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Serves until a stop is requested, then stops gracefully and returns once the last
  // connection has closed (server.h). Returns the exit code: 0, or 1 after a fatal error
  // (already reported on stderr).
  int Run() {
    if (!Start()) return 1;
    while (!stopping_ || !connections_.empty()) {
      if (!WaitAndHandleEvents(timers_.MillisecondsUntilNext(TimerQueue::Clock::now()))) return 1;
      FireDueTimers();
      if (context_.stop->stop_requested() && !stopping_) BeginStop();
    }
    std::fputs("http-server: all connections closed\n", stderr);
    return 0;
  }

 protected:
  // Sets up the waiting mechanism and starts accepting. Returns false after reporting why.
  virtual bool Start() = 0;
  // Waits at most `timeout_ms` (-1: no limit) for I/O and handles what happened. Returns false
  // after reporting a fatal error.
  virtual bool WaitAndHandleEvents(int timeout_ms) = 0;
  // Moves a connection on after anything changed (input, output sent, a delayed reply
  // released, the stop): answer, send, read, or close it through RemoveConnection().
  virtual void Advance(uint64_t key, Entry& entry) = 0;
  // Stops accepting for a while (accept() is out of file descriptors), then resumes.
  virtual void PauseAccepting() = 0;
  virtual void ResumeAccepting() = 0;
  // Stops accepting for good; EventLoop closes the listening socket right after this returns.
  virtual void StopAccepting() = 0;

  const ServerContext& context() const { return context_; }
  // True from the moment the graceful stop began: no connection takes a new request.
  bool stopping() const { return stopping_; }

  // Registers a newly accepted connection (taking ownership of `fd`) and returns its key.
  uint64_t AddConnection(int fd) {
    uint64_t key = next_key_++;
    connections_.try_emplace(key, fd, context_);
    return key;
  }
  // The connection with `key`, or nullptr once it has been removed.
  Entry* Find(uint64_t key) {
    auto it = connections_.find(key);
    return it == connections_.end() ? nullptr : &it->second;
  }
  // Discards what the peer still sent (so that closing does not reset the last reply before
  // the peer has read it), closes the socket and forgets the connection; `entry` dies with it.
  void RemoveConnection(uint64_t key, Entry& entry) {
    DiscardPendingInput(entry.fd);
    close(entry.fd);
    connections_.erase(key);
  }
  // Starts the delay of the reply that connection `key` has set aside; once it is over, the
  // reply is released and the connection advanced.
  void DelayReply(uint64_t key, std::chrono::milliseconds delay) { timers_.Start(delay, key); }
  // After accept() failed with `error`: pauses accepting for a while if the process is out of
  // file descriptors, and reports every error but the transient ones.
  void HandleAcceptError(int error) {
    if (error == EMFILE || error == ENFILE) {
      std::fprintf(stderr, "http-server: accept: %s; pausing\n", std::strerror(error));
      PauseAccepting();
      timers_.Start(kAcceptPause, kListenerKey);
    } else if (error != EAGAIN && error != EWOULDBLOCK && error != EINTR && error != ECONNABORTED &&
               error != ECANCELED) {
      std::fprintf(stderr, "http-server: accept: %s\n", std::strerror(error));
    }
  }

 private:
  static constexpr std::chrono::milliseconds kAcceptPause{100};

  void FireDueTimers() {
    for (uint64_t key : timers_.PopDue(TimerQueue::Clock::now())) {
      if (key == kListenerKey) {
        if (!stopping_) ResumeAccepting();
      } else if (Entry* entry = Find(key)) {
        entry->http.ReleaseDelayedReply(stopping_);
        Advance(key, *entry);
      }
    }
  }

  // Stops accepting and asks every connection to take no further request: idle ones close at
  // once, busy ones once their current reply is sent. Run() loops until the last has closed.
  void BeginStop() {
    stopping_ = true;
    StopAccepting();
    close(context_.listen_fd);
    std::fprintf(stderr, "http-server: wait for all connections to close (%zu open)\n",
                 connections_.size());
    std::vector<uint64_t> keys;
    keys.reserve(connections_.size());
    for (const auto& [key, entry] : connections_) keys.push_back(key);
    for (uint64_t key : keys) {
      if (Entry* entry = Find(key)) {
        entry->http.StopTakingRequests();
        Advance(key, *entry);
      }
    }
  }

  const ServerContext& context_;
  bool stopping_ = false;
  uint64_t next_key_ = kFirstConnectionKey;
  std::unordered_map<uint64_t, Entry> connections_;  // Element addresses are stable.
  TimerQueue timers_;
};
