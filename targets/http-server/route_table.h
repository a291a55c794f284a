// RouteTable: the server's routes (path -> what answers it), a heap-allocated table consulted on
// every request, and RouteTables, which publishes the current table and swaps in a freshly built
// one on every reload (SIGHUP, see route_reloader.h).
//
// It exists to reproduce a class of real bugs: servers that reload their configuration on SIGHUP
// by building a new routing table, swapping a plain pointer and freeing the old table at once,
// while request threads that looked up the old pointer a moment earlier are still reading it
// (RCU without a grace period). Requests served concurrently with a reload then read freed
// memory.
//
// Thread-safety: Current() and Reload() may be called from any thread, concurrently.
//   - Publication::kSynchronized: the current table is a shared_ptr guarded by a mutex; a
//     request pins the table it routed with (RoutePin holds a reference), so a retired table is
//     destroyed only once the last request using it is done.
//   - Publication::kRawPointer (http-server --bug reload-race): the current table is a plain
//     pointer, a RoutePin holds only that pointer, and Reload() retires the old table at once.
//     Retired tables are poisoned (their magic overwritten) and kept in a bounded quarantine
//     instead of being freed, so that a request still using one finds the poison instead of
//     reused memory: every use of a pinned table checks the magic and the process aborts with
//     "http-server: route table used after a reload retired it" (SIGABRT). A request that holds
//     its pin across kQuarantine further reloads (a long /slow) may read freed memory instead.
//     That mode is deliberately wrong; never use it for anything else.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

// What answers a route (routes.cc turns it into a response).
enum class RouteKind { kHello, kEcho, kSlow, kShutdown };

struct Route {
  Route(std::string route_path, RouteKind route_kind)
      : path(std::move(route_path)), kind(route_kind) {}

  const std::string path;
  const RouteKind kind;
  // Responses sent on this route (CountResponse in routes.h), for the table's lifetime.
  mutable std::atomic<uint64_t> responses{0};
};

class RouteTable {
 public:
  static constexpr uint64_t kLiveMagic = 0x524f555445544142;     // "ROUTETAB"
  static constexpr uint64_t kRetiredMagic = 0xdeadbeefdeadbeef;  // Overwritten on retirement.

  // The built-in routes (GET /, /echo, /slow, /shutdown), as generation `generation`.
  explicit RouteTable(uint64_t generation);
  ~RouteTable() { Poison(); }
  RouteTable(const RouteTable&) = delete;
  RouteTable& operator=(const RouteTable&) = delete;

  // The route for `path`, or nullptr. Aborts if the table has been retired (CheckLive).
  const Route* Find(std::string_view path) const;
  // Aborts with "http-server: route table used after a reload retired it" unless the table is
  // live. Only a kRawPointer reader can ever see a retired table.
  void CheckLive() const;
  // Overwrites the magic, so that any later CheckLive() aborts.
  void Poison();

  uint64_t generation() const { return generation_; }

 private:
  uint64_t magic_ = kLiveMagic;
  const uint64_t generation_;
  std::deque<Route> routes_;  // A deque: Route (an atomic counter) cannot move.
};

// A request's hold on the table it was routed with. Copyable; empty by default.
class RoutePin {
 public:
  RoutePin() = default;
  // The pinned table, checked live; nullptr if empty.
  const RouteTable* get() const;

 private:
  friend class RouteTables;
  std::shared_ptr<const RouteTable> owner_;  // kSynchronized: keeps the table alive.
  const RouteTable* table_ = nullptr;
};

class RouteTables {
 public:
  enum class Publication { kSynchronized, kRawPointer };
  // Retired tables kept poisoned with Publication::kRawPointer before they are freed.
  static constexpr size_t kQuarantine = 4096;

  // Publishes generation 1.
  explicit RouteTables(Publication publication);
  ~RouteTables();
  RouteTables(const RouteTables&) = delete;
  RouteTables& operator=(const RouteTables&) = delete;

  // The current table, pinned for the caller.
  RoutePin Current();
  // Builds the next generation, publishes it and retires the previous one. Returns the new
  // generation. Reloads are serialised among themselves.
  uint64_t Reload();

 private:
  const Publication publication_;
  std::mutex mutex_;
  uint64_t generation_ = 1;                   // Guarded by mutex_.
  std::shared_ptr<const RouteTable> shared_;  // kSynchronized; guarded by mutex_.
  // kRawPointer: the bug. Read by requests without any lock or reference.
  std::atomic<RouteTable*> raw_{nullptr};
  std::deque<std::unique_ptr<RouteTable>> retired_;  // kRawPointer; guarded by mutex_.
};
