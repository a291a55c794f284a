#include "uri_cache.h"

#include <cstdio>
#include <cstdlib>

UriCache::UriCache(Locking locking, size_t capacity)
    : locking_(locking), capacity_(capacity < 1 ? 1 : capacity) {}

std::unique_lock<std::mutex> UriCache::MaybeLock() {
  if (locking_ == Locking::kNone) return {};
  return std::unique_lock<std::mutex>(mutex_);
}

std::shared_ptr<const UriParse> UriCache::Lookup(std::string_view url) {
  std::unique_lock<std::mutex> lock = MaybeLock();
  std::string key(url);
  uint64_t now = ++clock_;
  auto found = entries_.find(key);
  if (found != entries_.end()) {
    CheckLive(found->second);
    found->second.last_used = now;
    return found->second.parse;
  }
  // Miss. The victim is chosen before the new entry exists (so it can never be the new one) and
  // evicted only once the new entry is in.
  auto victim = entries_.size() >= capacity_ ? LeastRecentlyUsed() : entries_.end();
  auto parse = std::make_shared<const UriParse>(ParseUri(url));
  entries_.emplace(std::move(key), Entry{kLiveEntry, parse, now});
  if (victim != entries_.end()) Evict(victim);
  return parse;
}

size_t UriCache::size() {
  std::unique_lock<std::mutex> lock = MaybeLock();
  return entries_.size();
}

void UriCache::CheckLive(const Entry& entry) {
  if (entry.magic != kLiveEntry) Corrupted("corrupted entry (stale hashtable pointer)");
}

void UriCache::Corrupted(const char* what) {
  std::fprintf(stderr, "http-client: uri cache: %s\n", what);
  std::abort();
}

UriCache::Map::iterator UriCache::LeastRecentlyUsed() {
  // A list that does not end after size() nodes has been relinked into a cycle (only the
  // unlocked mode can do that); without the bound the scan would never end.
  size_t bound = entries_.size() + 1;
  auto oldest = entries_.begin();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (bound-- == 0) Corrupted("cycle in the entry list");
    CheckLive(it->second);
    if (it->second.last_used < oldest->second.last_used) oldest = it;
  }
  return oldest;
}

void UriCache::Evict(Map::iterator victim) {
  CheckLive(victim->second);
  // Volatile: a store right before the memory is freed would otherwise be optimised away.
  *static_cast<volatile uint64_t*>(&victim->second.magic) = kRetiredEntry;
  entries_.erase(victim);
}
