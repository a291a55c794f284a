#include "supervisor/supervisor.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>

#include <fstream>

#include "checkers/crash_checker.h"
#include "checkers/hang_checker.h"
#include "core/clock.h"
#include "supervisor/core_dump.h"
#include "supervisor/line_buffering.h"
#include "supervisor/loopback.h"
#include "test_paths.h"

namespace stampede {
namespace {

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class SupervisorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("stampede-supervisor-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    supervisor_ = std::make_unique<Supervisor>(writer_, MonotonicNanos(), dir_);
  }
  void TearDown() override {
    supervisor_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A target running stampede-testprog in `mode` on a fresh port.
  ResolvedTarget Testprog(const std::vector<std::string>& mode_args) {
    ResolvedTarget target;
    target.name = "prog";
    target.port = AllocateLoopbackPorts(1).value().at(0);
    target.argv = {STAMPEDE_TESTPROG};
    for (const auto& arg : mode_args)
      target.argv.push_back(arg == "PORT" ? std::to_string(target.port) : arg);
    target.ready.probe = ProbeKind::kTcp;
    target.ready.deadline_ms = 5000;
    target.stop.deadline_ms = 3000;
    target.stop.clean_signals = {SIGTERM};
    return target;
  }

  StartOutcome Start(const ResolvedTarget& target) {
    auto outcome = supervisor_->Start(target, never_.get_token());
    EXPECT_TRUE(outcome.ok()) << (outcome.ok() ? "" : outcome.error().message);
    return outcome.ok() ? outcome.value() : StartOutcome::kAborted;
  }

  // Waits (on the targets' pid fds) until a running target dies, up to `timeout`.
  bool WaitForDeath(std::chrono::milliseconds timeout) {
    auto deadline = MonoClock::now() + timeout;
    while (MonoClock::now() < deadline) {
      if (supervisor_->PollExits()) return true;
      std::vector<pollfd> fds;
      for (int fd : supervisor_->RunningPidfds()) fds.push_back({fd, POLLIN, 0});
      poll(fds.data(), fds.size(), 50);
    }
    return false;
  }

  const ProcessEvent& Last(ProcessAction action) {
    const auto& events = supervisor_->events();
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      if (it->action == action) return *it;
    }
    ADD_FAILURE() << "no event " << ToString(action);
    return events.front();
  }

  History CurrentHistory() { return History{{}, supervisor_->events()}; }

  std::filesystem::path dir_;
  HistoryWriter writer_;
  std::stop_source never_;
  std::unique_ptr<Supervisor> supervisor_;
};

TEST_F(SupervisorTest, SegfaultWhileRunningIsACrashWithTheSignal) {
  ASSERT_EQ(Start(Testprog({"segv", "PORT", "100"})), StartOutcome::kReady);
  ASSERT_TRUE(WaitForDeath(std::chrono::seconds(10)));
  const auto& exited = Last(ProcessAction::kExited);
  EXPECT_EQ(exited.phase, Phase::kRunning);
  ASSERT_TRUE(exited.exit && exited.exit->signal);
  EXPECT_EQ(*exited.exit->signal, SIGSEGV);
  auto crashes = CheckCrashes(CurrentHistory());
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].evidence["signal"], "SIGSEGV");
  EXPECT_EQ(crashes[0].target, "prog");
}

// The kernel writes the core into the target's folder (core_pattern "core" here, the machine's
// default); the crash evidence then carries gdb's stacks from it, the crashing thread first,
// and a signature of the crash's own frames. The core is deleted after.
TEST_F(SupervisorTest, ASegfaultsCoreGivesItsStackAndSignatureAndIsDeleted) {
  const auto search = CoreSearchFor(ReadText("/proc/sys/kernel/core_pattern"), ".");
  if (!search.unavailable.empty()) GTEST_SKIP() << search.unavailable;
  // A folder of its own: with a plain "core" pattern, a target of another test crashing in
  // the same folder at the same moment would overwrite or take this one's core.
  const auto folder = std::filesystem::current_path();
  std::filesystem::current_path(dir_);
  struct Back {
    std::filesystem::path to;
    ~Back() { std::filesystem::current_path(to); }
  } back{folder};
  ASSERT_EQ(Start(Testprog({"segv", "PORT", "100"})), StartOutcome::kReady);
  ASSERT_TRUE(WaitForDeath(std::chrono::seconds(10)));
  auto crashes = CheckCrashes(CurrentHistory());
  ASSERT_EQ(crashes.size(), 1u);
  const auto& evidence = crashes[0].evidence;
  ASSERT_TRUE(evidence["core_dumped"].get<bool>()) << evidence.dump(2);
  ASSERT_TRUE(evidence["core"].contains("path")) << evidence.dump(2);
  EXPECT_FALSE(std::filesystem::exists(evidence["core"]["path"].get<std::string>()));
  const std::string text = evidence["backtraces"].value("text", "");
  const auto first_frame = text.find("\n#0 ");
  ASSERT_NE(first_frame, std::string::npos) << text;
  EXPECT_EQ(text.find("Segfault"), text.find("Segfault", first_frame))
      << "the crashing thread first: " << text;
  EXPECT_EQ(evidence["core"]["generated_by"].get<std::string>().rfind(STAMPEDE_TESTPROG, 0), 0u);
  // The crashing function first; its namespace shows only with full debug information (the
  // sanitizer builds have -g1).
  const std::string signature = evidence.value("signature", "");
  EXPECT_TRUE(signature.substr(0, signature.find(" <")).ends_with("Segfault")) << signature;
  // The exit is stamped when it was seen, before gdb read the core: the target's 100 ms plus
  // less than the time gdb took (which a stamp taken after gdb would include).
  const auto ran_ms =
      (Last(ProcessAction::kExited).time_ns - Last(ProcessAction::kReady).time_ns) / 1000000;
  EXPECT_LT(ran_ms, 100 + evidence["capture_ms"].get<std::int64_t>())
      << "stamped after the backtrace was taken?";
}

TEST_F(SupervisorTest, AssertionFailureBecomesTheCrashTitle) {
  ASSERT_EQ(Start(Testprog({"assert", "PORT", "100"})), StartOutcome::kReady);
  ASSERT_TRUE(WaitForDeath(std::chrono::seconds(10)));
  auto crashes = CheckCrashes(CurrentHistory());
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].evidence["signal"], "SIGABRT");
  EXPECT_NE(
      crashes[0].evidence["title"].get<std::string>().find("Assertion `!pending_recv' failed"),
      std::string::npos);
  EXPECT_NE(crashes[0].evidence["stderr_tail"].get<std::string>().find("pending_recv"),
            std::string::npos);
}

TEST_F(SupervisorTest, CleanStopBySignalIsNotACrash) {
  ASSERT_EQ(Start(Testprog({"serve", "PORT"})), StartOutcome::kReady);
  supervisor_->StopAll(never_.get_token());
  const auto& exited = Last(ProcessAction::kExited);
  EXPECT_EQ(exited.phase, Phase::kShutdown);
  EXPECT_TRUE(exited.clean);
  EXPECT_TRUE(CheckCrashes(CurrentHistory()).empty());
  EXPECT_TRUE(CheckHangs(CurrentHistory(), {}).empty());
}

TEST_F(SupervisorTest, TargetIgnoringSigtermIsAHangWithBacktraces) {
  auto target = Testprog({"ignore-term", "PORT"});
  target.stop.deadline_ms = 300;
  ASSERT_EQ(Start(target), StartOutcome::kReady);
  supervisor_->StopAll(never_.get_token());
  const auto& timeout = Last(ProcessAction::kStopTimeout);
  const auto& backtraces = timeout.evidence["backtraces"];
  ASSERT_TRUE(backtraces.contains("text")) << backtraces.dump();
  EXPECT_NE(backtraces["text"].get<std::string>().find("Serve"), std::string::npos)
      << "the backtrace should show the serving loop";
  EXPECT_TRUE(timeout.evidence["sockets"].is_array());
  const auto& exited = Last(ProcessAction::kExited);
  EXPECT_TRUE(exited.killed_by_harness);
  auto hangs = CheckHangs(CurrentHistory(), {});
  ASSERT_EQ(hangs.size(), 1u);
  EXPECT_EQ(hangs[0].evidence["phase"], "shutdown");
  EXPECT_TRUE(CheckCrashes(CurrentHistory()).empty()) << "the harness's SIGKILL is not a crash";
  // The hang is stamped when the deadline passed (within twice the deadline), not after gdb
  // finished; how long the capture took is in the evidence, and the kill comes after it.
  const auto after_request_ms =
      (timeout.time_ns - Last(ProcessAction::kStopRequested).time_ns) / 1000000;
  EXPECT_GE(after_request_ms, 300);
  EXPECT_LT(after_request_ms, 2 * 300);
  const auto capture_ms = timeout.evidence["capture_ms"].get<std::int64_t>();
  EXPECT_GE((exited.time_ns - timeout.time_ns) / 1000000, capture_ms);
}

// A target that printed to a fully buffered stdout and was then killed at its stop deadline
// loses what it printed; line-buffered, the line reaches its log.
TEST_F(SupervisorTest, ALineBufferedTargetKeepsWhatItPrintedBeforeTheKill) {
  for (bool line_buffered : {false, true}) {
    SCOPED_TRACE(line_buffered ? "line-buffered" : "as it is");
    SetUp();
    auto target = Testprog({"stuck-after-term", "PORT"});
    target.stop.deadline_ms = 300;
    if (line_buffered) {
      ASSERT_TRUE(LineBufferedEnvironment(target.env).ok());
    }
    ASSERT_EQ(Start(target), StartOutcome::kReady);
    supervisor_->StopAll(never_.get_token());
    EXPECT_TRUE(Last(ProcessAction::kExited).killed_by_harness);
    const bool kept =
        ReadText(dir_ / "prog.stdout").find("Signal handled: Terminated.") != std::string::npos;
    EXPECT_EQ(kept, line_buffered);
    TearDown();
  }
}

TEST_F(SupervisorTest, HangEvidenceListsTheListeningSocket) {
  auto target = Testprog({"ignore-term", "PORT"});
  target.stop.deadline_ms = 200;
  ASSERT_EQ(Start(target), StartOutcome::kReady);
  supervisor_->StopAll(never_.get_token());
  const auto& sockets = Last(ProcessAction::kStopTimeout).evidence["sockets"];
  bool listening = false;
  for (const auto& socket : sockets) {
    listening |= socket["state"] == "LISTEN" &&
                 socket["local"] == "127.0.0.1:" + std::to_string(target.port);
  }
  EXPECT_TRUE(listening) << sockets.dump();
}

TEST_F(SupervisorTest, NeverReadyTargetTimesOutWithItsLogTail) {
  auto target = Testprog({"never-ready"});
  target.ready.deadline_ms = 300;
  ASSERT_EQ(Start(target), StartOutcome::kNotReady);
  EXPECT_TRUE(Last(ProcessAction::kNotReady).evidence.contains("stderr_tail"));
  // Given up at its deadline: not before it, and within twice it.
  const auto waited_ms =
      (Last(ProcessAction::kNotReady).time_ns - Last(ProcessAction::kSpawned).time_ns) / 1000000;
  EXPECT_GE(waited_ms, 300);
  EXPECT_LT(waited_ms, 2 * 300);
  supervisor_->StopAll(never_.get_token());
  EXPECT_TRUE(CheckCrashes(CurrentHistory()).empty());
}

// The message and the evidence of a readiness failure say what the probe saw last, for each
// kind of probe, and how often it tried.
TEST_F(SupervisorTest, AReadinessFailureNamesWhatTheProbeSawLast) {
  auto refused = Testprog({"never-ready"});
  refused.ready.deadline_ms = 300;
  ASSERT_EQ(Start(refused), StartOutcome::kNotReady);
  const auto& event = Last(ProcessAction::kNotReady);
  const std::string connect = "connect to 127.0.0.1:" + std::to_string(refused.port);
  EXPECT_EQ(event.evidence["probe"]["kind"], "tcp");
  EXPECT_GE(event.evidence["probe"]["attempts"].get<int>(), 2);
  EXPECT_EQ(event.evidence["probe"]["last_error"], connect + ": Connection refused");
  EXPECT_NE(event.detail.find("the tcp probe failed"), std::string::npos) << event.detail;
  const std::string message = NotReadyError(refused, *supervisor_).message;
  EXPECT_NE(message.find("was not ready within 300 ms: the tcp probe failed "), std::string::npos)
      << message;
  EXPECT_NE(message.find("last: " + connect + ": Connection refused; see "), std::string::npos)
      << message;

  auto wrong_status = Testprog({"serve", "PORT"});
  wrong_status.name = "http";
  wrong_status.ready.probe = ProbeKind::kHttp;
  wrong_status.ready.status = 204;
  wrong_status.ready.deadline_ms = 300;
  ASSERT_EQ(Start(wrong_status), StartOutcome::kNotReady);
  EXPECT_EQ(Last(ProcessAction::kNotReady).evidence["probe"]["last_error"],
            "GET /: status 200, expected 204");

  auto no_match = Testprog({"serve", "PORT"});
  no_match.name = "log";
  no_match.ready.probe = ProbeKind::kLog;
  no_match.ready.pattern = "accepting connections";
  no_match.ready.deadline_ms = 300;
  ASSERT_EQ(Start(no_match), StartOutcome::kNotReady);
  const std::string no_match_error = Last(ProcessAction::kNotReady).evidence["probe"]["last_error"];
  EXPECT_NE(no_match_error.find("log.stdout ("), std::string::npos) << no_match_error;
  EXPECT_NE(no_match_error.find("bytes) has no match for /accepting connections/"),
            std::string::npos)
      << no_match_error;
  supervisor_->StopAll(never_.get_token());
}

TEST_F(SupervisorTest, NonZeroExitOnStopIsACrash) {
  ASSERT_EQ(Start(Testprog({"exit-on-term", "PORT", "3"})), StartOutcome::kReady);
  supervisor_->StopAll(never_.get_token());
  auto crashes = CheckCrashes(CurrentHistory());
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].evidence["exit_code"], 3);
  EXPECT_EQ(crashes[0].evidence["phase"], "shutdown");
}

TEST_F(SupervisorTest, CleanExitCodesArePerTarget) {
  auto target = Testprog({"exit-on-term", "PORT", "1"});
  target.stop.clean_exit_codes = {0, 1};
  ASSERT_EQ(Start(target), StartOutcome::kReady);
  supervisor_->StopAll(never_.get_token());
  EXPECT_TRUE(Last(ProcessAction::kExited).clean);
  EXPECT_TRUE(CheckCrashes(CurrentHistory()).empty());
}

// A target that exited by itself while serving, its exit not yet noticed when the stop comes
// (the window between two PollExits): still an exit while running, a crash even with a clean
// status, never a clean stop.
TEST_F(SupervisorTest, AnExitNoticedOnlyAtTheStopIsStillAnExitWhileRunning) {
  ASSERT_EQ(Start(Testprog({"serve", "PORT"})), StartOutcome::kReady);
  ASSERT_TRUE(supervisor_->Signal("prog", SIGTERM, false).ok());  // exits 0 on SIGTERM
  std::vector<pollfd> fds;
  for (int fd : supervisor_->RunningPidfds()) fds.push_back({fd, POLLIN, 0});
  ASSERT_EQ(fds.size(), 1u);
  ASSERT_EQ(poll(fds.data(), fds.size(), 10000), 1);  // it has exited and is not reaped yet
  supervisor_->StopAll(never_.get_token());
  const auto& exited = Last(ProcessAction::kExited);
  EXPECT_EQ(exited.phase, Phase::kRunning);
  EXPECT_EQ(exited.exit->exit_code, 0);
  EXPECT_FALSE(exited.clean);
  auto crashes = CheckCrashes(CurrentHistory());
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].evidence["phase"], "running");
}

TEST_F(SupervisorTest, ExitBeforeReadyIsRecordedAsDied) {
  auto target = Testprog({"exit", "4"});
  EXPECT_EQ(Start(target), StartOutcome::kDied);
  const auto& exited = Last(ProcessAction::kExited);
  EXPECT_EQ(exited.phase, Phase::kStartup);
  EXPECT_EQ(exited.exit->exit_code, 4);
  EXPECT_NE(exited.evidence["stderr_tail"].get<std::string>().find("exiting with 4"),
            std::string::npos);
}

TEST_F(SupervisorTest, LogAndHttpProbesDetectReadiness) {
  auto by_log = Testprog({"serve", "PORT"});
  by_log.ready.probe = ProbeKind::kLog;
  by_log.ready.pattern = "listening on 127\\.0\\.0\\.1:[0-9]+";
  EXPECT_EQ(Start(by_log), StartOutcome::kReady);
  auto by_http = Testprog({"serve", "PORT"});
  by_http.name = "http";
  by_http.ready.probe = ProbeKind::kHttp;
  EXPECT_EQ(Start(by_http), StartOutcome::kReady);
  supervisor_->StopAll(never_.get_token());
  EXPECT_TRUE(CheckCrashes(CurrentHistory()).empty());
}

TEST_F(SupervisorTest, MissingProgramIsAnEnvironmentError) {
  auto target = Testprog({"serve", "PORT"});
  target.argv[0] = "/nonexistent/stampede-no-such-program";
  auto outcome = supervisor_->Start(target, never_.get_token());
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().kind, ErrorKind::kEnvironment);
  EXPECT_NE(outcome.error().message.find("no-such-program"), std::string::npos);
}

// The grandchild lives in the target's process group, so stopping the target ends it too.
TEST_F(SupervisorTest, StoppingKillsTheWholeProcessGroup) {
  ASSERT_EQ(Start(Testprog({"fork-child", "PORT"})), StartOutcome::kReady);
  int pid = supervisor_->events().front().pid;
  std::ifstream children("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) +
                         "/children");
  int grandchild = 0;
  ASSERT_TRUE(children >> grandchild);
  supervisor_->StopAll(never_.get_token());
  auto deadline = MonoClock::now() + std::chrono::seconds(10);
  // Reparented to init, the grandchild disappears once reaped; wait for that event.
  while (kill(grandchild, 0) == 0 && MonoClock::now() < deadline) {
    std::ifstream stat("/proc/" + std::to_string(grandchild) + "/stat");
    std::string pid_text, name, state;
    if (stat >> pid_text >> name >> state && state == "Z") break;  // dead, awaiting reaping
    poll(nullptr, 0, 20);
  }
  std::ifstream stat("/proc/" + std::to_string(grandchild) + "/stat");
  std::string pid_text, name, state;
  EXPECT_TRUE(!(stat >> pid_text >> name >> state) || state == "Z") << "grandchild still alive";
}

TEST_F(SupervisorTest, AbortDuringStartStopsWaiting) {
  auto target = Testprog({"never-ready"});
  target.ready.deadline_ms = 60000;
  std::stop_source abort;
  abort.request_stop();
  auto outcome = supervisor_->Start(target, abort.get_token());
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome.value(), StartOutcome::kAborted);
  supervisor_->StopAll(abort.get_token());
  const auto& exited = Last(ProcessAction::kExited);
  EXPECT_TRUE(exited.killed_by_harness);
  EXPECT_TRUE(CheckCrashes(CurrentHistory()).empty());
}

// Only the exit codes and signals the stop lists are clean: a target that dies by another
// signal while being stopped (a crash in its shutdown path) is not.
TEST(IsCleanStopTest, OnlyTheListedCodesAndSignalsAreClean) {
  StopSpec stop;
  stop.clean_exit_codes = {0};
  stop.clean_signals = {SIGTERM};
  EXPECT_TRUE(IsCleanStop(stop, {.exit_code = 0}));
  EXPECT_FALSE(IsCleanStop(stop, {.exit_code = 1}));
  EXPECT_TRUE(IsCleanStop(stop, {.signal = SIGTERM}));
  EXPECT_FALSE(IsCleanStop(stop, {.signal = SIGSEGV, .core_dumped = true}));
  EXPECT_FALSE(IsCleanStop(stop, {.signal = SIGABRT}));
  stop.clean_signals.clear();
  EXPECT_FALSE(IsCleanStop(stop, {.signal = SIGTERM}));
  EXPECT_FALSE(IsCleanStop(stop, {}));
}

}  // namespace
}  // namespace stampede
