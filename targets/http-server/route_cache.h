// RouteCache: a process-wide cache of parsed request targets, keyed by the full target, with
// least-recently-used eviction.
//
// It exists to reproduce a real bug (DESIGN.md section 2, first row): an HTTP user agent whose
// worker threads shared a URI-grammar cache in an unsynchronised hash table crashed with heap
// corruption, segfaults and "stale hashtable pointer" errors under 200 parallel requests.
//
// Thread-safety: with Locking::kMutex every call is serialised by an internal mutex and the cache
// is safe to share between threads. With Locking::kNone (http-server --bug unsafe-cache) the very
// same code runs without the lock, and a miss races with every other miss: a miss holds an
// iterator to its eviction victim while it matches the URI grammar (about a microsecond), so two
// threads pick the same victim and the second erase() unlinks a node that is already freed, and
// eviction scans walk nodes that are freed under them. The result is a stale-pointer crash
// (SIGSEGV) or a glibc heap-corruption abort (SIGABRT), as in the original bug. That mode is
// deliberately wrong; never use it for anything else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "request_target.h"

class RouteCache {
 public:
  enum class Locking { kMutex, kNone };

  // Holds at most `capacity` entries; inserting into a full cache evicts the least recently used.
  explicit RouteCache(Locking locking, size_t capacity = 64);

  // The parsed form of `target`, parsed and inserted on a miss. The returned object stays valid
  // for as long as the caller holds it, even after eviction (with Locking::kMutex).
  std::shared_ptr<const ParsedTarget> Lookup(std::string_view target);

 private:
  struct Entry {
    std::shared_ptr<const ParsedTarget> route;
    uint64_t last_used = 0;  // Value of clock_ at the last lookup.
  };

  using Map = std::unordered_map<std::string, Entry>;

  std::unique_lock<std::mutex> MaybeLock();
  // The entry with the smallest last_used, found by a scan (the cache is small), or end().
  Map::iterator LeastRecentlyUsed();

  const Locking locking_;
  const size_t capacity_;
  std::mutex mutex_;
  // Both guarded by mutex_ when locking_ == kMutex; unguarded (the bug) otherwise.
  uint64_t clock_ = 0;
  Map entries_;
};
