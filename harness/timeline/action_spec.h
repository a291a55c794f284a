// A scheduled action of a scenario's `actions`: what the nemesis does to the targets while the
// loads run, and when. Each firing is recorded as an operation of the "nemesis" stream.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "scenario/object_reader.h"

namespace stampede {

enum class ActionType {
  kSignal,   // send `signal` to the target's process (its group with `group`)
  kFreeze,   // SIGSTOP the target's group, SIGCONT it `freeze_ms` later
  kStop,     // the target's configured stop, judged like the end of a run
  kStart,    // start a stopped target again and wait until it is ready
  kRestart,  // stop, then start
  kSend,     // one request on a fresh connection; the reply is recorded (and checked)
  kExec,     // run a command to its end (within deadline_ms); exit status and output recorded
  kFault,    // switch a fault proxy's toxics on or off
};

// When an action fires: first at `at_ms` after the targets are ready (or after the event
// `after` names), then every `every_ms`, `times` times in all.
struct ActionSchedule {
  int at_ms = 0;
  int every_ms = 0;
  int times = 1;
  // Empty, or the event that starts the schedule: "load:NAME" (that load stream ended) or
  // "action:NAME" (every firing of that action completed).
  std::string after;
};

enum class SendProtocol { kResp, kHttp, kRaw };

// What a reply must be; kNone records it without judging it.
struct ReplyExpectation {
  enum class Kind { kNone, kAny, kExact, kRegex } kind = Kind::kNone;
  std::string value;  // kExact: the reply's text; kRegex: an ECMAScript regex searched in it
};

struct SendSpec {
  std::string address;  // "HOST:PORT" template
  SendProtocol protocol = SendProtocol::kResp;
  std::vector<std::string> resp;  // kResp: the command's arguments
  std::string method = "GET";     // kHttp
  std::string path = "/";
  std::map<std::string, std::string> headers;
  std::string body;
  std::string raw;  // kRaw: bytes sent as they are; the reply is what arrives until the
                    // expectation matches, the peer closes, or timeout_ms passes
  ReplyExpectation expect;
  int timeout_ms = 2000;
};

struct ExecSpec {
  std::vector<std::string> command;  // templates; command[0] is the program
  int deadline_ms = 10000;
  std::vector<int> exit_codes = {0};  // statuses that count as ok
};

struct ActionSpec {
  std::string name;  // "signal SIGHUP server" unless the scenario names it
  ActionType type = ActionType::kSignal;
  ActionSchedule schedule;
  std::string target;  // signal, freeze, stop, start, restart
  int signal = 1;      // SIGHUP
  bool group = false;  // signal: the whole process group
  int freeze_ms = 100;
  SendSpec send;
  ExecSpec exec;
  std::string fault;     // kFault: the fault's name
  bool enabled = false;  // kFault: on or off
};

const char* ToString(ActionType type);

// Checks the `after` of every action against the loads' names (`loads`, with which of them
// are background streams) and the other actions: the event must exist, must be able to
// happen (not a background load, no cycle of actions waiting on each other), and an action
// it names must be the only one of that name. Reports at /actions/i/after.
void CheckActionEvents(const std::vector<ActionSpec>& actions,
                       const std::vector<std::pair<std::string, bool>>& loads,
                       const std::function<void(std::size_t, const std::string&)>& report);

// Reads one element of `actions`. `targets` and `faults` are the scenario's target and fault
// names, for checking.
ActionSpec ReadActionSpec(ObjectReader& reader, const std::vector<std::string>& targets,
                          const std::vector<std::string>& faults);

}  // namespace stampede
