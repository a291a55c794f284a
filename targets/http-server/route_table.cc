#include "route_table.h"

#include <cstdio>
#include <cstdlib>

RouteTable::RouteTable(uint64_t generation) : generation_(generation) {
  routes_.emplace_back("/", RouteKind::kHello);
  routes_.emplace_back("/echo", RouteKind::kEcho);
  routes_.emplace_back("/slow", RouteKind::kSlow);
  routes_.emplace_back("/shutdown", RouteKind::kShutdown);
}

const Route* RouteTable::Find(std::string_view path) const {
  CheckLive();
  for (const Route& route : routes_) {
    if (route.path == path) return &route;
  }
  return nullptr;
}

void RouteTable::CheckLive() const {
  // Volatile: the magic may be overwritten by another thread (kRawPointer only).
  if (*static_cast<const volatile uint64_t*>(&magic_) == kLiveMagic) return;
  std::fputs("http-server: route table used after a reload retired it\n", stderr);
  std::abort();
}

void RouteTable::Poison() {
  // Volatile: a store right before the memory is freed would otherwise be optimised away.
  *static_cast<volatile uint64_t*>(&magic_) = kRetiredMagic;
}

const RouteTable* RoutePin::get() const {
  if (table_ != nullptr) table_->CheckLive();
  return table_;
}

RouteTables::RouteTables(Publication publication) : publication_(publication) {
  if (publication_ == Publication::kSynchronized) {
    shared_ = std::make_shared<const RouteTable>(generation_);
  } else {
    raw_.store(new RouteTable(generation_), std::memory_order_release);
  }
}

RouteTables::~RouteTables() {
  delete raw_.load(std::memory_order_acquire);
}

RoutePin RouteTables::Current() {
  RoutePin pin;
  if (publication_ == Publication::kSynchronized) {
    std::lock_guard<std::mutex> lock(mutex_);
    pin.owner_ = shared_;
    pin.table_ = shared_.get();
  } else {
    // The bug: a bare pointer, which nothing stops Reload() from retiring while it is in use.
    pin.table_ = raw_.load(std::memory_order_acquire);
  }
  return pin;
}

uint64_t RouteTables::Reload() {
  std::lock_guard<std::mutex> lock(mutex_);
  const uint64_t generation = ++generation_;
  if (publication_ == Publication::kSynchronized) {
    // The old table lives on in the pins of the requests still using it.
    shared_ = std::make_shared<const RouteTable>(generation);
    return generation;
  }
  // The bug: the old table is retired at once, whoever still holds its pointer.
  RouteTable* old = raw_.exchange(new RouteTable(generation), std::memory_order_acq_rel);
  old->Poison();
  retired_.emplace_back(old);
  if (retired_.size() > kQuarantine) retired_.pop_front();
  return generation;
}
