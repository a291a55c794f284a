// ClientRegistry: who is connected to resp-server (id, peer address, fd, last command), kept by
// the event loop and read by the admin thread for CLIENT LIST and INFO clients (admin.h).
//
// It exists to reproduce a class of real bugs: servers whose admin or stats path ("CLIENT LIST",
// memcached's "stats conns", a metrics exporter) walks the table of connections from another
// thread than the one that adds and frees the connections, without the table's lock. Under
// connection churn the walk reads entries that have just been freed.
//
// The entries form an intrusive doubly linked list, newest first; CLIENT LIST collects them,
// orders them by id and renders one line per client. As in Redis, a client's peer address is
// resolved lazily (getpeername() on its fd) the first time it is listed, and cached in the entry;
// the socket's kernel queues are read (ioctl) every time. A
// closed client's entry is unlinked, then poisoned (its magic overwritten) and kept in a bounded
// quarantine (kQuarantine entries) instead of being freed at once, so that a reader still holding
// it finds the poison rather than reused memory: every entry the walk reads is checked, and a
// poisoned one aborts the process with "resp-server: client list walked a freed client entry"
// (SIGABRT).
//
// Thread-safety: Register, SetLastCommand and Unregister are called by the event-loop thread
// only, each under mutex_. ClientList and ConnectedClients may be called from any thread.
//   - WalkLocking::kLocked: ClientList holds mutex_ for the whole walk (collect, order, render),
//     so no entry can be unlinked or retired under it. Correct.
//   - WalkLocking::kUnlocked (resp-server --bug stats-race): the very same walk runs without
//     the lock. An entry collected from the list can be unlinked and poisoned by the event loop
//     before the walk renders it (the window is the whole walk), and the links themselves are
//     read while they are rewritten. That mode is deliberately wrong; never use it for anything
//     else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

struct ClientEntry {
  static constexpr uint64_t kLiveMagic = 0x434c49454e544c53;     // "CLIENTLS"
  static constexpr uint64_t kRetiredMagic = 0xdeadbeefdeadbeef;  // Overwritten when retired.
  static constexpr size_t kMaxCommand = 32;                      // Bytes of cmd, NUL included.

  uint64_t magic = kLiveMagic;
  uint64_t id = 0;
  int fd = -1;
  std::string addr;                // "127.0.0.1:PORT" once listed; only ClientList touches it.
  char cmd[kMaxCommand] = "NULL";  // The last command, as CLIENT LIST shows it.
  ClientEntry* prev = nullptr;
  ClientEntry* next = nullptr;
};

class ClientRegistry {
 public:
  enum class WalkLocking { kLocked, kUnlocked };
  // Retired entries kept poisoned before they are freed.
  static constexpr size_t kQuarantine = 4096;

  explicit ClientRegistry(WalkLocking walk_locking) : walk_locking_(walk_locking) {}
  ~ClientRegistry();  // Frees every entry; no reader may be running.
  ClientRegistry(const ClientRegistry&) = delete;
  ClientRegistry& operator=(const ClientRegistry&) = delete;

  // A new client on `fd`; the entry stays owned by the registry and valid until Unregister().
  // Ids start at 1 and are never reused.
  ClientEntry* Register(int fd);
  // Records the client's last command (truncated to kMaxCommand - 1 bytes).
  void SetLastCommand(ClientEntry* entry, std::string_view command);
  // The client has gone: unlinks, poisons and retires its entry.
  void Unregister(ClientEntry* entry);

  // One line per connected client, ordered by id:
  // "id=N addr=A fd=F cmd=C recv-q=BYTES send-q=BYTES\n" (the socket's kernel queues).
  std::string ClientList();
  size_t ConnectedClients();

 private:
  std::unique_lock<std::mutex> MaybeLockWalk();
  static void CheckLive(const ClientEntry* entry);
  static void AppendLine(ClientEntry* entry, std::string* out);

  const WalkLocking walk_locking_;
  std::mutex mutex_;
  // All guarded by mutex_ (read without it by ClientList with WalkLocking::kUnlocked: the bug).
  ClientEntry* head_ = nullptr;  // Also guards every entry's addr (written by ClientList).
  size_t size_ = 0;
  uint64_t next_id_ = 1;
  std::deque<std::unique_ptr<ClientEntry>> retired_;
};
