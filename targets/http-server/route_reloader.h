// RouteReloader: SIGHUP makes the server rebuild its route table (RouteTables::Reload()) on a
// thread of its own, whatever the backend, and log "http-server: routes reloaded (generation N)"
// on stderr. SIGHUP never stops the server.
//
// The signal is taken through a signalfd, like SIGINT/SIGTERM in stop_signal.h: Open() blocks
// SIGHUP in the calling thread, so it must run in main() before any other thread starts (they
// inherit the mask). Not thread-safe itself: Open, Start and Stop are called by one thread.
#pragma once

#include <cstdio>
#include <string>
#include <thread>

class RouteTables;

class RouteReloader {
 public:
  RouteReloader() = default;
  ~RouteReloader();  // Stop(), then closes the fds.
  RouteReloader(const RouteReloader&) = delete;
  RouteReloader& operator=(const RouteReloader&) = delete;

  // Blocks SIGHUP and opens the signalfd and the thread's quit eventfd. Returns false and sets
  // *error on failure.
  bool Open(std::string* error);
  // Starts the thread: each SIGHUP reloads `tables` (borrowed; must outlive Stop()) and logs a
  // line on `log`.
  void Start(RouteTables* tables, std::FILE* log = stderr);
  // Asks the thread to finish and joins it. Idempotent; a SIGHUP after it is ignored.
  void Stop();

 private:
  void Run(RouteTables* tables, std::FILE* log) const;

  int signal_fd_ = -1;
  int quit_fd_ = -1;
  std::thread thread_;
};
