#include "faults/fault_proxy.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>

#include "core/clock.h"
#include "faults/toxics.h"

namespace stampede {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr int kPollMs = 50;  // longest wait, so a stop is seen promptly
constexpr milliseconds kConnectTimeout{2000};
constexpr std::size_t kChunk = 16384;

int ConnectUpstream(const TcpEndpoint& upstream) {
  int fd = socket(upstream.address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval timeout{static_cast<time_t>(kConnectTimeout.count() / 1000), 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&upstream.address), upstream.length) != 0) {
    const int error = errno;
    close(fd);
    errno = error;
    return -1;
  }
  timeval none{0, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &none, sizeof none);
  return fd;
}

}  // namespace

// One proxied connection; shared by its two pump threads. The last pump to finish closes both
// sockets (so neither thread ever polls a closed, possibly reused, descriptor).
struct FaultProxy::Connection {
  int id = 0;
  int client = -1;
  int server = -1;
  MonoClock::time_point opened = MonoClock::now();
  std::vector<bool> applies;  // per toxic of the spec
  std::atomic<int> pumps_left{2};
  std::atomic<bool> ended{false};
  std::mutex rng_mutex;
  SplitMix64 rng{0};
};

Result<std::unique_ptr<FaultProxy>> FaultProxy::Start(FaultSpec spec, int port,
                                                      TcpEndpoint upstream, std::uint64_t seed,
                                                      FaultEventSink sink) {
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0) return EnvironmentError("fault proxy: socket: " + std::string(strerror(errno)));
  int on = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(listener, 512) != 0) {
    const std::string why = strerror(errno);
    close(listener);
    return EnvironmentError("fault \"" + spec.name +
                            "\": cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + why);
  }
  return std::unique_ptr<FaultProxy>(
      new FaultProxy(std::move(spec), listener, port, std::move(upstream), seed, std::move(sink)));
}

FaultProxy::FaultProxy(FaultSpec spec, int listener, int port, TcpEndpoint upstream,
                       std::uint64_t seed, FaultEventSink sink)
    : spec_(std::move(spec)),
      listener_(listener),
      port_(port),
      upstream_(std::move(upstream)),
      seed_(seed),
      sink_(std::move(sink)),
      enabled_(spec_.enabled) {
  acceptor_ = std::jthread([this] { AcceptLoop(); });
}

FaultProxy::~FaultProxy() {
  Stop();
}

void FaultProxy::AcceptLoop() {
  while (!stopping_.load()) {
    pollfd pfd{listener_, POLLIN, 0};
    if (poll(&pfd, 1, kPollMs) <= 0) continue;
    int client = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client >= 0) Open(client);
  }
}

void FaultProxy::Open(int client) {
  const int server = ConnectUpstream(upstream_);
  if (server < 0) {
    ++upstream_failures_;
    sink_("fault " + spec_.name + ": upstream " + upstream_.display +
          " refused a connection: " + strerror(errno));
    close(client);
    return;
  }
  // Small pieces (a slicer's) must leave as they are cut, not wait for Nagle's algorithm.
  int on = 1;
  setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  auto connection = std::make_shared<Connection>();
  connection->id = static_cast<int>(++connections_);
  connection->client = client;
  connection->server = server;
  connection->rng = SplitMix64(seed_ ^ (std::uint64_t(connection->id) * 0x9e3779b97f4a7c15ULL));
  for (const auto& toxic : spec_.toxics)
    connection->applies.push_back(Applies(toxic, connection->rng));
  std::lock_guard lock(mutex_);
  if (stopping_.load()) {
    close(client);
    close(server);
    return;
  }
  open_.push_back(connection);
  std::erase_if(threads_, [](const Worker& worker) { return worker.done->load(); });  // joins
  for (auto stream : {ToxicStream::kUpstream, ToxicStream::kDownstream}) {
    auto done = std::make_shared<std::atomic<bool>>(false);
    threads_.push_back({std::jthread([this, connection, stream, done] {
                          Pump(connection, stream);
                          done->store(true);
                        }),
                        done});
  }
}

void FaultProxy::SleepFor(microseconds wait) const {
  const auto until = MonoClock::now() + wait;
  while (!stopping_.load() && MonoClock::now() < until) {
    std::this_thread::sleep_for(std::min<microseconds>(
        std::chrono::duration_cast<microseconds>(until - MonoClock::now()), milliseconds(kPollMs)));
  }
}

bool FaultProxy::SendAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// The RST leaves when the last pump closes the sockets (SO_LINGER 0); SHUT_RD only wakes the
// pumps, without sending a FIN first.
void FaultProxy::Reset(Connection& connection, const std::string& why) {
  if (connection.ended.exchange(true)) return;
  ++resets_;
  linger hard{1, 0};
  setsockopt(connection.client, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  setsockopt(connection.server, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  shutdown(connection.client, SHUT_RD);
  shutdown(connection.server, SHUT_RD);
  sink_("fault " + spec_.name + ": reset connection " + std::to_string(connection.id) + " " + why);
}

void FaultProxy::Limit(Connection& connection) {
  if (connection.ended.exchange(true)) return;
  ++limited_;
  shutdown(connection.client, SHUT_RDWR);
  shutdown(connection.server, SHUT_RDWR);
  sink_("fault " + spec_.name + ": closed connection " + std::to_string(connection.id) +
        " at its data limit");
}

bool FaultProxy::Forward(Connection& connection, ToxicStream stream, const char* data,
                         std::size_t size, std::int64_t& forwarded) {
  const int to = stream == ToxicStream::kUpstream ? connection.server : connection.client;
  std::vector<std::size_t> pieces{size};
  microseconds piece_delay{0};
  if (enabled_.load()) {
    for (std::size_t i = 0; i < spec_.toxics.size(); ++i) {
      const ToxicSpec& toxic = spec_.toxics[i];
      if (toxic.stream != stream || !connection.applies[i]) continue;
      std::unique_lock lock(connection.rng_mutex);
      switch (toxic.type) {
        case ToxicType::kBlackhole:
          dropped_ += static_cast<std::int64_t>(size);
          return true;
        case ToxicType::kLimitData:
        case ToxicType::kResetPeer:
          if (toxic.bytes > 0 && forwarded + static_cast<std::int64_t>(size) >= toxic.bytes) {
            lock.unlock();
            SendAll(to, data, static_cast<std::size_t>(toxic.bytes - forwarded));
            if (toxic.type == ToxicType::kLimitData) {
              Limit(connection);
            } else {
              Reset(connection, "after " + std::to_string(toxic.bytes) + " bytes");
            }
            return false;
          }
          break;
        case ToxicType::kLatency:
          lock.unlock();
          SleepFor(LatencyFor(toxic, connection.rng));
          break;
        case ToxicType::kBandwidth:
          lock.unlock();
          SleepFor(TransferTime(size, toxic));
          break;
        case ToxicType::kSlicer:
          pieces = SlicePieces(size, toxic, connection.rng);
          piece_delay = microseconds(toxic.delay_us);
          break;
        case ToxicType::kSlowClose:
          break;
      }
    }
  }
  std::size_t offset = 0;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (i > 0 && piece_delay.count() > 0) SleepFor(piece_delay);
    if (!SendAll(to, data + offset, pieces[i])) return false;
    offset += pieces[i];
  }
  forwarded += static_cast<std::int64_t>(size);
  (stream == ToxicStream::kUpstream ? bytes_up_ : bytes_down_) += static_cast<std::int64_t>(size);
  return true;
}

void FaultProxy::Pump(const std::shared_ptr<Connection>& connection, ToxicStream stream) {
  const int from = stream == ToxicStream::kUpstream ? connection->client : connection->server;
  const int to = stream == ToxicStream::kUpstream ? connection->server : connection->client;
  std::optional<MonoClock::time_point> reset_at;
  int slow_close_ms = 0;
  for (std::size_t i = 0; i < spec_.toxics.size(); ++i) {
    const auto& toxic = spec_.toxics[i];
    if (toxic.stream != stream || !connection->applies[i]) continue;
    if (toxic.type == ToxicType::kResetPeer && toxic.bytes == 0) {
      reset_at = connection->opened + milliseconds(toxic.timeout_ms);
    }
    if (toxic.type == ToxicType::kSlowClose) slow_close_ms = toxic.delay_ms;
  }
  std::int64_t forwarded = 0;
  char buffer[kChunk];
  while (!stopping_.load() && !connection->ended.load()) {
    if (reset_at && enabled_.load() && MonoClock::now() >= *reset_at) {
      Reset(*connection, "after " +
                             std::to_string(std::chrono::duration_cast<milliseconds>(
                                                MonoClock::now() - connection->opened)
                                                .count()) +
                             " ms");
      break;
    }
    pollfd pfd{from, POLLIN, 0};
    if (poll(&pfd, 1, kPollMs) <= 0) continue;
    ssize_t n = recv(from, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (connection->ended.load()) break;  // reset or limited: nothing more to pass on
      if (slow_close_ms > 0 && enabled_.load()) SleepFor(milliseconds(slow_close_ms));
      shutdown(to, n == 0 ? SHUT_WR : SHUT_RDWR);
      break;
    }
    if (!Forward(*connection, stream, buffer, static_cast<std::size_t>(n), forwarded)) break;
  }
  if (--connection->pumps_left == 0) {
    {
      std::lock_guard lock(mutex_);  // first out of open_, so Stop never touches a closed fd
      open_.remove(connection);
    }
    close(connection->client);
    close(connection->server);
  }
}

void FaultProxy::Stop() {
  if (stopping_.exchange(true)) return;
  if (acceptor_.joinable()) acceptor_.join();
  close(listener_);
  std::list<Worker> threads;
  {
    std::lock_guard lock(mutex_);
    for (const auto& connection : open_) {
      connection->ended = true;
      shutdown(connection->client, SHUT_RDWR);
      shutdown(connection->server, SHUT_RDWR);
    }
    threads.swap(threads_);
  }
  threads.clear();  // joins
}

nlohmann::json FaultProxy::Figures() const {
  return {{"connections", connections_.load()},
          {"bytes_upstream", bytes_up_.load()},
          {"bytes_downstream", bytes_down_.load()},
          {"dropped_bytes", dropped_.load()},
          {"resets", resets_.load()},
          {"limited", limited_.load()},
          {"upstream_failures", upstream_failures_.load()},
          {"enabled", enabled_.load()}};
}

}  // namespace stampede
