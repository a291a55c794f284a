// UriCache: a process-wide cache of parsed URLs, keyed by the URL text and shared by every
// request thread, with least-recently-used eviction past a small bound, as an HTTP user agent's
// "URI grammar" cache would keep it.
//
// It exists to reproduce a real bug (DESIGN.md section 2, first row): a Perl HTTP user agent
// that fired 200 parallel requests died with "stale hashtable pointer" errors and segfaults,
// because its URI grammar kept a hash table shared, unsynchronised, by all the threads.
//
// Thread-safety: with Locking::kMutex every call is serialised by an internal mutex and the cache
// is safe to share between threads. With Locking::kNone (http-client --bug unsafe-uri-cache) the
// very same code runs without the lock, so concurrent lookups insert into, erase from and walk
// one std::unordered_map at the same time: a miss holds an iterator to its eviction victim while
// it parses the URL, so two misses pick the same victim and erase it twice, lookups and eviction
// scans walk nodes freed under them, and concurrent inserts and erases relink the same bucket
// lists. The process then dies of SIGSEGV, of a glibc heap-corruption abort (SIGABRT), or of the
// cache's own check of the entry it is about to use (see Lookup). That mode is deliberately
// wrong; never use it for anything else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "uri.h"

class UriCache {
 public:
  enum class Locking { kMutex, kNone };

  // Holds at most `capacity` (>= 1) entries; inserting into a full cache evicts the least
  // recently used one.
  explicit UriCache(Locking locking, size_t capacity = 32);

  // The parse of `url` (a failed parse included), parsed and inserted on a miss. The returned
  // object stays valid for as long as the caller holds it, even after eviction.
  //
  // Before using an entry found in the map, checks that it is a live entry; if not (its memory
  // was freed or overwritten, which only the unlocked mode can cause) prints
  // "http-client: uri cache: corrupted entry (stale hashtable pointer)" and calls abort(); an
  // eviction scan that finds the entry list longer than size() (relinked into a cycle) prints
  // "http-client: uri cache: cycle in the entry list" and calls abort().
  std::shared_ptr<const UriParse> Lookup(std::string_view url);

  // The number of entries (for tests; with Locking::kNone only meaningful without concurrency).
  size_t size();

 private:
  static constexpr uint64_t kLiveEntry = 0x4c49564555524921;     // "LIVEURI!"
  static constexpr uint64_t kRetiredEntry = 0x4445414455524921;  // "DEADURI!"

  struct Entry {
    uint64_t magic = kLiveEntry;  // kRetiredEntry once evicted; anything else is corruption.
    std::shared_ptr<const UriParse> parse;
    uint64_t last_used = 0;  // Value of clock_ at the last lookup.
  };

  using Map = std::unordered_map<std::string, Entry>;

  std::unique_lock<std::mutex> MaybeLock();
  // Aborts with the message above unless `entry` is live.
  static void CheckLive(const Entry& entry);
  // Prints "http-client: uri cache: WHAT" to stderr and aborts.
  [[noreturn]] static void Corrupted(const char* what);
  // The entry with the smallest last_used, found by a scan (the cache is small), or end().
  Map::iterator LeastRecentlyUsed();
  // Marks the entry retired (a store the compiler must keep), then erases it.
  void Evict(Map::iterator victim);

  const Locking locking_;
  const size_t capacity_;
  std::mutex mutex_;
  // Both guarded by mutex_ when locking_ == kMutex; unguarded (the bug) otherwise.
  uint64_t clock_ = 0;
  Map entries_;
};
