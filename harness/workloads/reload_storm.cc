#include "workloads/reload_storm.h"

#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <memory>
#include <vector>

#include "core/clock.h"
#include "protocols/http_response.h"
#include "workloads/liveness_probe.h"
#include "workloads/storm_counts.h"
#include "workloads/storm_plan.h"

namespace stampede {
namespace {

constexpr int kStopCheckMs = 50;
constexpr std::size_t kMaxAnswerBytes = 16 << 20;
constexpr int kProbeClient = 0;

struct StormConnection {
  int client = 0;
  int tab = 0;
  int fd = -1;
  AbortKind abort = AbortKind::kFin;
  bool preconnect = false;
  bool connecting = true;
  bool got_bytes = false;
  bool outstanding = false;  // a request (or a preconnect's connect) awaits its completion
  int next_request = 0;      // seq of the next request to send
  std::string f;             // the outstanding operation's f
  std::string output;        // bytes not sent yet
  std::string input;
};

// One run of the storm; see ReloadStorm.
class Storm {
 public:
  Storm(const ReloadStormSpec& spec, const TcpEndpoint& endpoint, std::uint64_t seed,
        OpRecorder& recorder, WorkloadProgress& progress, const std::stop_token& stop)
      : spec_(spec),
        endpoint_(endpoint),
        planner_(spec, seed),
        recorder_(recorder),
        progress_(progress),
        stop_(stop) {}
  ~Storm() {
    for (int fd : idle_) close(fd);
  }

  std::optional<Unresponsive> Run() {
    const bool every_round = spec_.probe_at != ProbeAt::kEnd;
    const bool at_end = spec_.probe_at != ProbeAt::kEveryRound;
    for (int round = 1; round <= spec_.rounds && !stop_.stop_requested(); ++round) {
      PlayRound(planner_.NextRound());
      total_.Add(round_);
      if (stop_.stop_requested()) return std::nullopt;
      if (every_round) {
        if (auto failed = Probe(round, false)) return failed;
      }
    }
    if (!at_end || stop_.stop_requested()) return std::nullopt;
    SettleForTheFinalProbe();
    if (stop_.stop_requested()) return std::nullopt;
    return Probe(spec_.rounds, true);
  }

  // The storm's figures so far: what it did, and the most connections it held open at once.
  nlohmann::json Figures() const {
    auto figures = total_.ToJson();
    figures["peak_open"] = peak_open_;
    figures["idle_open"] = idle_.size();
    figures["probes"] = probes_;
    return figures;
  }

 private:
  void PlayRound(const std::vector<TabRound>& tabs) {
    round_ = {};
    connections_.clear();
    const std::int64_t start_ns = MonotonicNanos();
    std::vector<std::int64_t> reload_ns;
    for (std::size_t t = 0; t < tabs.size(); ++t) {
      const auto& tab = tabs[t];
      reload_ns.push_back(start_ns + std::int64_t{tab.reload_after_ms} * 1000000);
      for (std::size_t i = 0; i < tab.aborts.size(); ++i) {
        Open(static_cast<int>(t), tab.aborts[i], static_cast<int>(i) >= tab.connections);
      }
    }
    std::vector<bool> reloaded(tabs.size(), false);
    for (;;) {
      const std::int64_t now = MonotonicNanos();
      std::int64_t next_ns = now + std::int64_t{kStopCheckMs} * 1000000;
      bool all_reloaded = true;
      for (std::size_t t = 0; t < tabs.size(); ++t) {
        if (!reloaded[t] && reload_ns[t] <= now) {
          Reload(static_cast<int>(t));
          reloaded[t] = true;
        }
        if (!reloaded[t]) {
          all_reloaded = false;
          next_ns = std::min(next_ns, reload_ns[t]);
        }
      }
      if (all_reloaded) return;
      if (stop_.stop_requested()) {
        for (auto& connection : connections_)
          End(*connection, OpType::kInfo, "stopped before completion");
        return;
      }
      PollOnce(static_cast<int>((next_ns - now + 999999) / 1000000));
    }
  }

  void PollOnce(int wait_ms) {
    std::vector<pollfd> polled;
    std::vector<StormConnection*> polled_connections;
    for (auto& connection : connections_) {
      if (connection->fd < 0) continue;
      short events = POLLIN;
      if (connection->connecting || !connection->output.empty()) events = POLLOUT;
      polled.push_back({connection->fd, events, 0});
      polled_connections.push_back(connection.get());
    }
    if (poll(polled.data(), polled.size(), std::max(wait_ms, 0)) <= 0) return;
    for (std::size_t i = 0; i < polled.size(); ++i) {
      StormConnection& connection = *polled_connections[i];
      if (polled[i].revents == 0 || connection.fd < 0) continue;
      if (connection.connecting || !connection.output.empty()) {
        OnWritable(connection);
      } else {
        OnReadable(connection);
      }
    }
  }

  // Before the final probe: the idle connections kept, closed or reset as asked, then
  // settle_ms (cut short by a stop).
  void SettleForTheFinalProbe() {
    if (spec_.final_idle != IdleFate::kKeep) {
      for (int fd : idle_) {
        if (spec_.final_idle == IdleFate::kReset) {
          linger reset{1, 0};
          setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
        }
        CloseFd(fd);
      }
      idle_.clear();
    }
    const std::int64_t until = MonotonicNanos() + std::int64_t{spec_.settle_ms} * 1000000;
    while (!stop_.stop_requested()) {
      const std::int64_t left_ms = (until - MonotonicNanos()) / 1000000;
      if (left_ms <= 0) break;
      poll(nullptr, 0, static_cast<int>(std::min<std::int64_t>(left_ms, kStopCheckMs)));
    }
  }

  void Open(int tab, AbortKind abort, bool preconnect) {
    auto connection = std::make_unique<StormConnection>();
    StormConnection& c = *connection;
    connections_.push_back(std::move(connection));
    c.client = ++opened_;
    c.tab = tab;
    c.abort = abort;
    c.preconnect = preconnect;
    ++round_.connections;
    if (preconnect) {
      ++round_.preconnects;
      Invoke(c, "preconnect");
    }
    const auto* address = reinterpret_cast<const sockaddr*>(&endpoint_.address);
    c.fd = socket(address->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) {
      Fail(c, SocketErrorText("socket", errno));
      return;
    }
    peak_open_ = std::max(peak_open_, ++open_);
    if (connect(c.fd, address, endpoint_.length) != 0 && errno != EINPROGRESS) {
      if (errno == ECONNREFUSED) ++round_.refused;
      Fail(c, SocketErrorText("connect", errno));
    }
  }

  void OnWritable(StormConnection& c) {
    if (c.connecting) {
      int error = 0;
      socklen_t length = sizeof error;
      getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &length);
      if (error != 0) {
        if (error == ECONNREFUSED) ++round_.refused;
        Fail(c, SocketErrorText("connect", error));
        return;
      }
      c.connecting = false;
      ++round_.connected;
      if (c.preconnect) {
        Complete(c, OpType::kOk, "connected", "");
        return;
      }
      SendNext(c);
      return;
    }
    Flush(c);
  }

  // Sends the connection's next request, if it has one left.
  void SendNext(StormConnection& c) {
    if (c.next_request >= spec_.requests_per_connection) return;
    const auto& paths = spec_.paths;
    const std::string& path =
        paths[static_cast<std::size_t>(c.client + c.next_request) % paths.size()];
    Invoke(c, "GET " + path);
    ++round_.requests;
    c.output += http::GetRequest(path, endpoint_.display);
    Flush(c);
  }

  void Flush(StormConnection& c) {
    while (!c.output.empty()) {
      ssize_t n = send(c.fd, c.output.data(), c.output.size(), MSG_NOSIGNAL);
      if (n > 0) {
        c.output.erase(0, static_cast<std::size_t>(n));
      } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        return;
      } else {
        Fail(c, SocketErrorText("send", errno));
        return;
      }
    }
  }

  void OnReadable(StormConnection& c) {
    char buffer[16384];
    for (;;) {
      ssize_t n = recv(c.fd, buffer, sizeof buffer, 0);
      if (n > 0) {
        if (c.preconnect) continue;  // nothing was asked; whatever comes is dropped
        if (!c.got_bytes) ++round_.answered;
        c.got_bytes = true;
        c.input.append(buffer, static_cast<std::size_t>(n));
        if (!JudgeAnswers(c, false) || c.fd < 0) return;
        if (c.input.size() > kMaxAnswerBytes) {
          Fail(c, fmt::format("protocol error: answer over {} bytes", kMaxAnswerBytes));
          return;
        }
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
      if (n == 0 && c.outstanding && !c.input.empty() && !JudgeAnswers(c, true)) return;
      if (c.fd < 0) return;
      if (!c.outstanding) {
        CloseConnection(c);  // the server ended an idle keep-alive connection
      } else {
        Fail(c, n == 0 ? "connection closed by peer" : SocketErrorText("recv", errno));
      }
      return;
    }
  }

  // Completes every whole answer at the front of the input; false when the connection ended.
  bool JudgeAnswers(StormConnection& c, bool at_eof) {
    while (c.outstanding) {
      auto response = http::ParseResponse(c.input, at_eof);
      if (response.status == http::ParseStatus::kIncomplete) return true;
      if (response.status == http::ParseStatus::kError) {
        Fail(c, "protocol error: " + response.error);
        return false;
      }
      ++round_.responses;
      c.input.erase(0, response.consumed);
      if (response.code >= 200 && response.code < 400) {
        Complete(c, OpType::kOk, std::to_string(response.code), "");
      } else {
        Complete(c, OpType::kFail, std::to_string(response.code),
                 fmt::format("status {}", response.code));
      }
      if (response.closes) {
        CloseConnection(c);
        return false;
      }
      SendNext(c);
      if (c.fd < 0) return false;
    }
    if (!c.input.empty()) {
      Fail(c, "protocol error: bytes after the last answer");
      return false;
    }
    return true;
  }

  // The tab reloads: each of its connections is abandoned the way the plan says.
  void Reload(int tab) {
    for (auto& connection : connections_) {
      StormConnection& c = *connection;
      if (c.tab != tab || c.fd < 0) continue;
      if (c.connecting) ++round_.never_completed;
      if (c.outstanding) {
        if (!c.preconnect) ++round_.abandoned;
        Complete(c, OpType::kInfo, "", fmt::format("abandoned by reload ({})", ToString(c.abort)));
      }
      switch (c.abort) {
        case AbortKind::kRst: {
          linger reset{1, 0};
          setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
          CloseConnection(c);
          break;
        }
        case AbortKind::kFin:
          CloseConnection(c);
          break;
        case AbortKind::kIdle:
          KeepIdle(c.fd);
          c.fd = -1;
          break;
      }
    }
  }

  void KeepIdle(int fd) {
    idle_.push_back(fd);
    while (static_cast<int>(idle_.size()) > spec_.max_idle_connections) {
      CloseFd(idle_.front());
      idle_.pop_front();
    }
  }

  // The liveness probe after `round` (`final`: the one after the last round and the settling);
  // the failure when it was not answered: refused, timed out, an error status or garbage. Probe
  // k is seq k of client 0 (the final one rounds + 1).
  std::optional<Unresponsive> Probe(int round, bool final) {
    const std::string f = (final ? "final probe GET " : "probe GET ") + spec_.probe_path;
    const std::int64_t seq = final ? spec_.rounds + 1 : round;
    ++probes_;
    Record(OpType::kInvoke, kProbeClient, seq, f, "", "");
    auto result = ProbeHttp(endpoint_, spec_.probe_path, spec_.probe_deadline_ms, stop_);
    switch (result.outcome) {
      case ProbeOutcome::kAnswered:
        Record(OpType::kOk, kProbeClient, seq, f, result.detail, "");
        return std::nullopt;
      case ProbeOutcome::kStopped:
        Record(OpType::kInfo, kProbeClient, seq, f, "", "stopped before completion");
        return std::nullopt;
      case ProbeOutcome::kError:
        Record(OpType::kFail, kProbeClient, seq, f, "", result.detail);
        break;
      case ProbeOutcome::kTimeout:
        Record(OpType::kInfo, kProbeClient, seq, f, "", result.detail);
        break;
    }
    return Failed(round, final, result);
  }

  Unresponsive Failed(int round, bool final, const ProbeResult& probe) const {
    const std::string when =
        final ? fmt::format(
                    "after the last of {} rounds and {} ms of settling (idle connections "
                    "{})",
                    spec_.rounds, spec_.settle_ms,
                    spec_.final_idle == IdleFate::kKeep    ? "kept"
                    : spec_.final_idle == IdleFate::kClose ? "closed"
                                                           : "reset")
              : fmt::format("after round {} of {}", round, spec_.rounds);
    const std::string stage = ProbeStage(probe);
    Unresponsive failed;
    failed.port = EndpointPort(endpoint_);
    if (probe.outcome == ProbeOutcome::kTimeout) {
      const char* what = probe.stage == "connect" ? "the handshake never completed"
                                                  : "connected and sent the request, no answer";
      failed.summary =
          fmt::format("did not answer {}liveness probe (GET {}) within {} ms {} ({}: {})",
                      final ? "the final " : "a ", spec_.probe_path, spec_.probe_deadline_ms, when,
                      stage, what);
    } else {
      failed.summary =
          fmt::format("failed {}liveness probe (GET {}) {}: {} ({})", final ? "the final " : "a ",
                      spec_.probe_path, when, stage, probe.detail);
    }
    failed.details = {{"round", round},
                      {"rounds", spec_.rounds},
                      {"final_probe", final},
                      {"probe", "GET " + spec_.probe_path},
                      {"probe_deadline_ms", spec_.probe_deadline_ms},
                      {"probe_stage", stage},
                      {"probe_detail", probe.detail},
                      {"probe_waited_ms", probe.elapsed_ms},
                      {"storm", Figures()},
                      {"last_round", round_.ToJson()},
                      {"idle_connections_open", idle_.size()}};
    return failed;
  }

  void Invoke(StormConnection& c, std::string f) {
    c.f = std::move(f);
    c.outstanding = true;
    const std::int64_t seq = c.preconnect ? 0 : c.next_request++;
    Record(OpType::kInvoke, c.client, seq, c.f, "", "");
  }

  void Complete(StormConnection& c, OpType type, std::string got, std::string error) {
    if (!c.outstanding) return;
    c.outstanding = false;
    const std::int64_t seq = c.preconnect ? 0 : c.next_request - 1;
    Record(type, c.client, seq, c.f, std::move(got), std::move(error));
  }

  // The connection broke: its outstanding operation fails and it is closed. A connection that
  // breaks before its first request is recorded as that request failing.
  void Fail(StormConnection& c, std::string why) {
    if (!c.outstanding && !c.preconnect && c.next_request == 0 &&
        spec_.requests_per_connection > 0) {
      Invoke(c, "GET " + spec_.paths[static_cast<std::size_t>(c.client) % spec_.paths.size()]);
      ++round_.requests;
    }
    Complete(c, OpType::kFail, "", std::move(why));
    CloseConnection(c);
  }

  void End(StormConnection& c, OpType type, const std::string& why) {
    Complete(c, type, "", why);
    CloseConnection(c);
  }

  void CloseConnection(StormConnection& c) {
    if (c.fd >= 0) CloseFd(c.fd);
    c.fd = -1;
  }

  void CloseFd(int fd) {
    close(fd);
    --open_;
  }

  void Record(OpType type, int client, std::int64_t seq, const std::string& f, std::string got,
              std::string error) {
    if (type == OpType::kInvoke) {
      progress_.in_flight.fetch_add(1, std::memory_order_relaxed);
    } else {
      progress_.in_flight.fetch_sub(1, std::memory_order_relaxed);
      progress_.done.fetch_add(1, std::memory_order_relaxed);
      if (type == OpType::kFail) progress_.errors.fetch_add(1, std::memory_order_relaxed);
    }
    recorder_.Record({type, 0, client, client, seq, f, "", std::move(got), std::move(error)});
  }

  const ReloadStormSpec& spec_;
  const TcpEndpoint& endpoint_;
  StormPlanner planner_;
  OpRecorder& recorder_;
  WorkloadProgress& progress_;
  const std::stop_token& stop_;
  std::vector<std::unique_ptr<StormConnection>> connections_;  // this round's
  std::deque<int> idle_;                                       // left idle by reloads
  int opened_ = 0;
  StormCounts round_;
  StormCounts total_;
  std::int64_t open_ = 0;  // storm sockets open now, idle ones included
  std::int64_t peak_open_ = 0;
  std::int64_t probes_ = 0;
};

}  // namespace

ReloadStorm::ReloadStorm(ReloadStormSpec spec, TcpEndpoint endpoint, std::uint64_t seed)
    : spec_(std::move(spec)), endpoint_(std::move(endpoint)), seed_(seed) {}

void ReloadStorm::Run(OpRecorder& recorder, const std::stop_token& stop) {
  Storm storm(spec_, endpoint_, seed_, recorder, progress_, stop);
  unresponsive_ = storm.Run();
  figures_ = storm.Figures();
  if (!unresponsive_) return;
  // Hold every socket of the storm until the run has taken its evidence and asks to stop.
  progress_.stuck.store(true, std::memory_order_release);
  while (!stop.stop_requested()) poll(nullptr, 0, kStopCheckMs);
}

int EndpointPort(const TcpEndpoint& endpoint) {
  if (endpoint.address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&endpoint.address)->sin6_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in*>(&endpoint.address)->sin_port);
}

}  // namespace stampede
