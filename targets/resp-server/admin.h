// The admin commands of resp-server (CLIENT LIST, INFO [clients]) and the thread that runs them.
//
// Like servers that keep slow introspection off their event loop, resp-server executes admin
// commands on an admin thread: the event loop hands a command over with Submit() and stops
// executing that connection's requests; the admin thread renders the reply from the
// ClientRegistry (client_registry.h), queues it and wakes the loop through completion_fd(); the
// loop takes the reply with TakeReplies(), appends it to the connection's output in order, and
// goes on with the connection's next requests. So pipelined requests are still answered in order.
//
// Thread-safety: Submit, TakeReplies and Stop are called by the event-loop thread; the queues
// between the two threads are guarded by mutex_. The registry is read by the admin thread as
// ClientRegistry says (with --bug stats-race, without its lock).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

class ClientRegistry;

namespace resp {

// Whether `args` (non-empty) is an admin command, to be executed by AdminThread.
bool IsAdminCommand(const std::vector<std::string>& args);

// Runs one admin command against `registry` and appends its one RESP2 reply to *out:
//   CLIENT LIST    bulk string, one "id=N addr=A fd=F cmd=C recv-q=N send-q=N\n" line per
//                  connected client
//   INFO [clients] bulk string "# Clients\r\nconnected_clients:N\r\n" (another section: empty)
void ExecuteAdmin(const std::vector<std::string>& args, ClientRegistry& registry, std::string* out);

}  // namespace resp

class AdminThread {
 public:
  struct Reply {
    uint64_t key;       // The connection that sent the command.
    std::string reply;  // Its RESP2 reply.
  };

  // `registry` is borrowed and must outlive the thread (Stop()).
  explicit AdminThread(ClientRegistry* registry) : registry_(registry) {}
  ~AdminThread();  // Stop(), then closes the fd.
  AdminThread(const AdminThread&) = delete;
  AdminThread& operator=(const AdminThread&) = delete;

  // Opens completion_fd() and starts the thread. Returns false with errno set on failure.
  bool Start();
  // Readable while replies wait for TakeReplies().
  int completion_fd() const { return event_fd_; }

  // Queues an admin command of connection `key`.
  void Submit(uint64_t key, std::vector<std::string> args);
  // The replies rendered since the last call, in submission order.
  std::vector<Reply> TakeReplies();
  // Finishes the command being executed, drops the queued ones and joins the thread.
  void Stop();

 private:
  struct Job {
    uint64_t key;
    std::vector<std::string> args;
  };

  void Run();

  ClientRegistry* const registry_;
  int event_fd_ = -1;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;     // Guarded by mutex_.
  std::vector<Reply> done_;  // Guarded by mutex_.
  bool quit_ = false;        // Guarded by mutex_.
  std::thread thread_;
};
