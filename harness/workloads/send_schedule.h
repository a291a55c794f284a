// When a connection of a raw TCP load may send its next request.
//
//   unpaced    as soon as the pipeline has room (closed loop, as fast as replies come);
//   paced      one slot every `interval`, from the first request on (closed loop with a
//              ceiling: a connection waiting for replies sends its overdue slots when they come);
//   open loop  the load's `rate` (requests per second over all its connections) split evenly:
//              each connection's slots are `connections / rate` apart, connection c's first one
//              c / rate after the start, so that the load as a whole sends at a steady rate.
//              A slot's time is the request's intended time (Operation::intended_ns): latency
//              counts from it, so a server that holds the load back cannot hide the requests it
//              delayed (coordinated omission).
//
// Not thread-safe: one per connection, used on its load thread.
#pragma once

#include <cstdint>
#include <optional>

namespace stampede {

class SendSchedule {
 public:
  static SendSchedule Unpaced() { return SendSchedule(0, 0, false); }
  static SendSchedule Paced(std::int64_t interval_ns) {
    return SendSchedule(interval_ns, 0, false);
  }
  // `rate` > 0 requests per second over `connections` connections; this is connection
  // `connection` (0-based). The load's slots count from monotonic time `start_ns`, the same for
  // every connection (0: from this connection's first Take).
  static SendSchedule OpenLoop(double rate, int connections, int connection,
                               std::int64_t start_ns = 0);

  // The schedule of connection `connection` of a load of `connections`: open loop when `rate`
  // > 0 (slots from `start_ns`), else paced when `pace_ns` > 0, else unpaced.
  static SendSchedule For(double rate, std::int64_t pace_ns, int connections, int connection,
                          std::int64_t start_ns) {
    if (rate > 0) return OpenLoop(rate, connections, connection, start_ns);
    return pace_ns > 0 ? Paced(pace_ns) : Unpaced();
  }

  // Whether a request may go at monotonic time `now_ns`; if so, takes its slot and returns the
  // slot's time (`now_ns` when unpaced).
  std::optional<std::int64_t> Take(std::int64_t now_ns);
  // When the next slot opens; 0 when not waiting for time (unpaced), and before the first Take.
  std::int64_t NextNs() const { return interval_ns_ > 0 && started_ ? next_ns_ : 0; }
  // Whether slots are intended times (open loop).
  bool open_loop() const { return open_loop_; }

 private:
  SendSchedule(std::int64_t interval_ns, std::int64_t first_offset_ns, bool open_loop)
      : interval_ns_(interval_ns), first_offset_ns_(first_offset_ns), open_loop_(open_loop) {}

  std::int64_t interval_ns_;
  std::int64_t first_offset_ns_;
  bool open_loop_;
  bool started_ = false;  // the first Take has fixed the slots
  std::int64_t next_ns_ = 0;
};

}  // namespace stampede
