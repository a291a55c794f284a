#include "worker_pool.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <random>
#include <system_error>
#include <utility>

namespace rpc = stampede::rpc;

CompletionQueue::~CompletionQueue() {
  if (event_fd_ >= 0) close(event_fd_);
}

bool CompletionQueue::Open(std::string* error) {
  event_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (event_fd_ >= 0) return true;
  *error = std::string("eventfd: ") + std::strerror(errno);
  return false;
}

void CompletionQueue::Post(Completion completion) {
  bool was_empty;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    was_empty = completions_.empty();
    completions_.push_back(std::move(completion));
  }
  // Only the first completion of a batch needs to wake the I/O thread: it takes the whole list.
  if (was_empty) {
    const std::uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(event_fd_, &one, sizeof one);
  }
}

std::vector<Completion> CompletionQueue::TakeAll() {
  // Reset the eventfd before taking the list: a completion posted after the swap finds the list
  // empty and writes the eventfd again, so none is left behind without a wake-up.
  std::uint64_t count = 0;
  [[maybe_unused]] ssize_t n = read(event_fd_, &count, sizeof count);
  std::vector<Completion> taken;
  std::lock_guard<std::mutex> lock(mutex_);
  taken.swap(completions_);
  return taken;
}

bool WorkerPool::Start(std::string* error) {
  std::random_device entropy;
  try {
    for (int i = 0; i < workers_; ++i) {
      unsigned seed = entropy() ^ static_cast<unsigned>(i);
      threads_.emplace_back([this, seed] { WorkerLoop(seed); });
    }
  } catch (const std::system_error& e) {
    *error = std::string("cannot start a worker thread: ") + e.what();
    Stop();
    return false;
  }
  return true;
}

void WorkerPool::Submit(Job job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void WorkerPool::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    jobs_.clear();
  }
  wake_.notify_all();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

bool WorkerPool::NextJob(Job* job) {
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
  if (jobs_.empty()) return false;
  *job = std::move(jobs_.front());
  jobs_.pop_front();
  return true;
}

void WorkerPool::WorkerLoop(unsigned seed) {
  std::minstd_rand random(seed);
  std::uniform_int_distribution<int> jitter(0, jitter_us_);
  auto process = [&] {
    int micros = jitter(random);
    if (micros > 0) std::this_thread::sleep_for(std::chrono::microseconds(micros));
  };
  Job job;
  while (NextJob(&job)) {
    Completion completion;
    completion.connection = job.connection;
    completion.request_bytes = job.request.payload.size();
    rpc::AppendFrame(ServeCall(job.request, bug_, process), completion.reply);
    completions_->Post(std::move(completion));
  }
}
