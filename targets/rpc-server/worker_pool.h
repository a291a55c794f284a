// The worker side of rpc-server: a job queue served by N threads, and the completion queue on
// which they hand encoded replies back to the I/O thread.
//
// Ownership and threads: the I/O thread owns both objects, calls Submit() and TakeAll(), and
// polls CompletionQueue::event_fd(). Workers only call Post(). Connections are named by their
// 64-bit id, never by pointer, so a reply to a connection that closed meanwhile is simply not
// found by the I/O thread and dropped. The CompletionQueue must outlive the WorkerPool.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "call.h"
#include "protocols/rpc_frame.h"

// One request to serve, for connection `connection`.
struct Job {
  std::uint64_t connection = 0;
  stampede::rpc::Frame request;
};

// One encoded reply frame for connection `connection`; `request_bytes` is the size of the
// request's payload (the I/O thread's in-flight accounting).
struct Completion {
  std::uint64_t connection = 0;
  std::size_t request_bytes = 0;
  std::string reply;
};

// A mutex-protected list of completions plus an eventfd that is made readable whenever the list
// turns non-empty, so the I/O thread can wait for replies in its epoll set.
class CompletionQueue {
 public:
  CompletionQueue() = default;
  ~CompletionQueue();
  CompletionQueue(const CompletionQueue&) = delete;
  CompletionQueue& operator=(const CompletionQueue&) = delete;

  // Opens the eventfd. Returns false and sets *error on failure.
  bool Open(std::string* error);
  int event_fd() const { return event_fd_; }

  // Any thread: appends a completion and wakes the I/O thread.
  void Post(Completion completion);
  // I/O thread: resets the eventfd and returns (and removes) every completion posted so far.
  std::vector<Completion> TakeAll();

 private:
  int event_fd_ = -1;
  std::mutex mutex_;
  std::vector<Completion> completions_;  // Guarded by mutex_.
};

// N worker threads taking Jobs from a FIFO queue (mutex + condition variable). A worker serves a
// job with ServeCall(), sleeping a random 0..jitter_us microseconds as its processing time (so
// that replies on one connection complete out of order), and posts the encoded reply.
class WorkerPool {
 public:
  WorkerPool(int workers, int jitter_us, BugMode bug, CompletionQueue* completions)
      : workers_(workers), jitter_us_(jitter_us), bug_(bug), completions_(completions) {}
  ~WorkerPool() { Stop(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Starts the threads. Returns false and sets *error if one could not be created (those
  // already started are stopped again).
  bool Start(std::string* error);
  // Queues a job; ignored once Stop() has been called.
  void Submit(Job job);
  // Drops the jobs no worker has started, lets the running ones finish (their replies are still
  // posted) and joins the threads. Idempotent.
  void Stop();

 private:
  void WorkerLoop(unsigned seed);
  // Blocks until a job is available (true) or the pool stops (false).
  bool NextJob(Job* job);

  const int workers_;
  const int jitter_us_;
  const BugMode bug_;
  CompletionQueue* const completions_;
  std::vector<std::thread> threads_;  // I/O thread only.
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;   // Guarded by mutex_.
  bool stopping_ = false;  // Guarded by mutex_.
};
