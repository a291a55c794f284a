#include "route_cache.h"

RouteCache::RouteCache(Locking locking, size_t capacity) : locking_(locking), capacity_(capacity) {}

std::unique_lock<std::mutex> RouteCache::MaybeLock() {
  if (locking_ == Locking::kNone) return {};
  return std::unique_lock<std::mutex>(mutex_);
}

std::shared_ptr<const ParsedTarget> RouteCache::Lookup(std::string_view target) {
  std::unique_lock<std::mutex> lock = MaybeLock();
  std::string key(target);
  uint64_t now = ++clock_;
  auto found = entries_.find(key);
  if (found != entries_.end()) {
    found->second.last_used = now;
    return found->second.route;
  }
  // Miss. The victim is chosen before the new entry exists (so it can never be the new one) and
  // erased only once the new entry is in (so a failed parse leaves the cache as it was).
  auto victim = entries_.size() >= capacity_ ? LeastRecentlyUsed() : entries_.end();
  auto route = std::make_shared<const ParsedTarget>(ParseTarget(target));
  entries_.emplace(std::move(key), Entry{route, now});
  if (victim != entries_.end()) entries_.erase(victim);
  return route;
}

RouteCache::Map::iterator RouteCache::LeastRecentlyUsed() {
  auto oldest = entries_.begin();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->second.last_used < oldest->second.last_used) oldest = it;
  }
  return oldest;
}
