#include "client_registry.h"

#include <linux/sockios.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "net.h"

ClientRegistry::~ClientRegistry() {
  while (head_ != nullptr) {
    ClientEntry* next = head_->next;
    delete head_;
    head_ = next;
  }
}

ClientEntry* ClientRegistry::Register(int fd) {
  auto* entry = new ClientEntry;
  entry->fd = fd;
  std::lock_guard<std::mutex> lock(mutex_);
  entry->id = next_id_++;
  entry->next = head_;
  if (head_ != nullptr) head_->prev = entry;
  head_ = entry;
  ++size_;
  return entry;
}

void ClientRegistry::SetLastCommand(ClientEntry* entry, std::string_view command) {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t length = std::min(command.size(), ClientEntry::kMaxCommand - 1);
  std::memcpy(entry->cmd, command.data(), length);
  entry->cmd[length] = '\0';
}

void ClientRegistry::Unregister(ClientEntry* entry) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (entry->prev != nullptr) entry->prev->next = entry->next;
  if (entry->next != nullptr) entry->next->prev = entry->prev;
  if (head_ == entry) head_ = entry->next;
  --size_;
  // Volatile: the poison must really be stored (a reader may be holding the entry).
  *static_cast<volatile uint64_t*>(&entry->magic) = ClientEntry::kRetiredMagic;
  retired_.emplace_back(entry);
  if (retired_.size() > kQuarantine) retired_.pop_front();
}

std::unique_lock<std::mutex> ClientRegistry::MaybeLockWalk() {
  if (walk_locking_ == WalkLocking::kUnlocked) return {};  // The bug.
  return std::unique_lock<std::mutex>(mutex_);
}

std::string ClientRegistry::ClientList() {
  std::unique_lock<std::mutex> lock = MaybeLockWalk();
  std::vector<ClientEntry*> entries;
  for (ClientEntry* entry = head_; entry != nullptr; entry = entry->next) {
    CheckLive(entry);
    entries.push_back(entry);
  }
  // The list is newest first; clients are listed oldest first, by id.
  std::sort(entries.begin(), entries.end(),
            [](const ClientEntry* a, const ClientEntry* b) { return a->id < b->id; });
  std::string out;
  for (ClientEntry* entry : entries) AppendLine(entry, &out);
  return out;
}

size_t ClientRegistry::ConnectedClients() {
  std::lock_guard<std::mutex> lock(mutex_);
  return size_;
}

void ClientRegistry::CheckLive(const ClientEntry* entry) {
  if (*static_cast<const volatile uint64_t*>(&entry->magic) == ClientEntry::kLiveMagic) return;
  std::fputs("resp-server: client list walked a freed client entry\n", stderr);
  std::abort();
}

void ClientRegistry::AppendLine(ClientEntry* entry, std::string* out) {
  CheckLive(entry);
  if (entry->addr.empty()) entry->addr = PeerAddress(entry->fd);
  out->append("id=").append(std::to_string(entry->id));
  out->append(" addr=").append(entry->addr);
  out->append(" fd=").append(std::to_string(entry->fd));
  out->append(" cmd=").append(entry->cmd, strnlen(entry->cmd, ClientEntry::kMaxCommand - 1));
  // The socket's kernel queues, as ss(8) shows them: unread input and unacknowledged output.
  int recv_q = 0;
  int send_q = 0;
  ioctl(entry->fd, SIOCINQ, &recv_q);
  ioctl(entry->fd, SIOCOUTQ, &send_q);
  out->append(" recv-q=").append(std::to_string(recv_q));
  out->append(" send-q=").append(std::to_string(send_q));
  out->append("\n");
  CheckLive(entry);  // Nothing read above may come from a retired entry.
}
