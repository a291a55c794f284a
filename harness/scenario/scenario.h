// A scenario: the targets to start, the workload to drive against them and the checks to
// apply, read from a JSON file and validated strictly. Parameters are already substituted;
// run-time placeholders ({port}, {NAME.port}, {targets}, {run_dir}, {seed}, and {seq} in
// workloads) stay in the strings and are expanded by the run.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "faults/fault_spec.h"
#include "perturb/perturbation.h"
#include "scenario/parameters.h"
#include "timeline/action_spec.h"
#include "timeline/stream_spec.h"
#include "workloads/workload_spec.h"

namespace stampede {

enum class ProbeKind { kNone, kTcp, kHttp, kLog };

struct ReadinessSpec {
  ProbeKind probe = ProbeKind::kTcp;
  std::string path = "/";         // http: GET this path on the target's port
  int status = 200;               // http: expected status
  std::string pattern;            // log: ECMAScript regex searched in the stream
  std::string stream = "stdout";  // log: "stdout" or "stderr"
  int deadline_ms = 10000;
};

struct StopSpec {
  int signal = 15;        // SIGTERM; sent to the target's process (not its group)
  std::string http_path;  // when set: GET this path instead of sending the signal
  int deadline_ms = 5000;
  // After a clean stop, nothing may listen on the target's port any more (a child that
  // inherited the socket, say) once this grace has passed; 0 skips the check.
  int port_release_ms = 1000;
  std::vector<int> clean_exit_codes = {0};  // exit codes that count as a clean stop
  std::vector<int> clean_signals;           // signals that count as a clean stop
};

// A configuration file written into the run folder before its target starts.
struct FileSpec {
  std::string name;              // file name in the run folder, e.g. "nutcracker.yml"
  std::filesystem::path source;  // the template, as resolved from the scenario's folder
  std::string content;           // parameters substituted; run-time placeholders remain
};

struct TargetSpec {
  std::string name;
  std::vector<std::string> command;        // templates; command[0] is the program
  std::map<std::string, std::string> env;  // templates, added to stampede's environment
  // More free loopback ports the target needs besides {port}, by name: "stats" is
  // {NAME.stats.port} everywhere in the scenario.
  std::vector<std::string> extra_ports;
  std::vector<FileSpec> files;  // see file_template.h for their placeholder syntax
  ReadinessSpec ready;
  StopSpec stop;
  // Each of its logs (stdout, stderr) keeps at most this many MiB: the head and the last MiB,
  // with a line saying how much was cut between them.
  std::int64_t log_limit_mb = 64;
  // "line_buffered": the target's C stdio stdout is line-buffered even into a pipe or file
  // (coreutils' libstdbuf preloaded), so what it printed before being killed reaches its log.
  bool line_buffered = false;
};

struct CheckSpec {
  std::int64_t max_errors = 0;
  double max_error_rate = 0.0;
  std::int64_t stall_ms = 10000;  // 0 disables stall detection
  std::int64_t max_timeouts = 0;  // requests that may go unanswered (unanswered_checker.h)
};

struct Scenario {
  std::filesystem::path file;
  std::string name;
  std::string description;
  std::vector<Parameter> params;
  std::vector<TargetSpec> targets;  // started in order, stopped in reverse order
  // The single `workload`; meaningless when `loads` is not empty.
  WorkloadSpec workload;
  std::vector<StreamSpec> loads;    // named concurrent load streams, instead of `workload`
  std::vector<ActionSpec> actions;  // the nemesis's schedule
  std::vector<FaultSpec> faults;    // fault proxies, {NAME.port} each
  CheckSpec checks;
  // "isolation": "network": the run needs a network namespace of its own (containment.h).
  bool isolate_network = false;
  Perturbation perturb;     // "perturb": the run's schedule perturbation
  int timeout_ms = 300000;  // the whole run, start to verdict
};

// Reads, validates and parameterises a scenario file. Invalid content is an InvalidInput
// whose message lists every problem as "file:line:col: at /json/path: what" (at most
// Diagnostics::kMaxMessages of them); so is a missing, unreadable or oversized file, or a
// directory (see JsonSource::Load). Time and memory stay linear in the file's size: nesting,
// parameter substitution and file templates are bounded (json_source.h, parameters.h).
Result<Scenario> LoadScenario(const std::filesystem::path& file, const Overrides& overrides);

// The same from text; `name` stands for the file in messages.
Result<Scenario> ParseScenario(const std::string& name, const std::string& text,
                               const Overrides& overrides);

}  // namespace stampede
