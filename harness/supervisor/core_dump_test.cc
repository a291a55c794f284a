#include "supervisor/core_dump.h"

#include <gtest/gtest.h>

#include <fstream>

namespace stampede {
namespace {

TEST(CoreDumpTest, APlainPatternIsTheProcessFolder) {
  auto search = CoreSearchFor("core\n", "/srv/app");
  EXPECT_EQ(search.unavailable, "");
  EXPECT_EQ(search.dir, "/srv/app");
  EXPECT_EQ(search.prefix, "core");
}

TEST(CoreDumpTest, AnAbsolutePatternIsItsFolderAndTheNameBeforeTheFirstPercent) {
  auto search = CoreSearchFor("/var/crash/core.%e.%p", "/srv/app");
  EXPECT_EQ(search.dir, "/var/crash");
  EXPECT_EQ(search.prefix, "core.");
}

TEST(CoreDumpTest, APipeOrAFolderThatDependsOnTheProcessIsUnavailableNamingThePattern) {
  EXPECT_NE(
      CoreSearchFor("|/usr/lib/systemd/systemd-coredump %P", "/")
          .unavailable.find("pipes cores to a program (/usr/lib/systemd/systemd-coredump %P)"),
      std::string::npos);
  EXPECT_NE(CoreSearchFor("/var/crash/%e/core", "/").unavailable, "");
  EXPECT_NE(CoreSearchFor("", "/").unavailable, "");
}

TEST(CoreDumpTest, OnlyAnElfCoreWrittenSinceTheStartIsFound) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("stampede-core-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "core") << "not an ELF file";
  CoreSearch search{dir, "core", ""};
  const auto before = std::filesystem::file_time_type::clock::now() - std::chrono::seconds(5);
  EXPECT_FALSE(FindCore(search, before).has_value()) << "a file named core that is no core";
  EXPECT_FALSE(IsElfCore(dir / "core"));
  std::filesystem::remove_all(dir);
}

// gdb's `bt` of the crashing thread, then `thread apply all bt`: the signature takes the
// crashing thread's own frames with a source location, past the C library's abort path.
TEST(CoreDumpTest, TheSignatureIsTheCrashingThreadsTopFramesWithSourceWithoutAddresses) {
  const std::string text =
      "Program terminated with signal SIGABRT, Aborted.\n"
      "#0  __pthread_kill_implementation (no_tid=0, signo=6, threadid=1) at "
      "./nptl/pthread_kill.c:44\n"
      "#0  __pthread_kill_implementation (no_tid=0, signo=6, threadid=1) at "
      "./nptl/pthread_kill.c:44\n"
      "#1  0x00007f0 in __pthread_kill_internal (signo=6) at ./nptl/pthread_kill.c:78\n"
      "#2  0x00007f1 in __GI_raise (sig=sig@entry=6) at ../sysdeps/posix/raise.c:26\n"
      "#3  0x00007f2 in __GI_abort () at ./stdlib/abort.c:79\n"
      "#4  0x00007f3 in __assert_fail_base (fmt=0x1) at ./assert/assert.c:92\n"
      "#5  0x000055a in (anonymous namespace)::Proxy::OnRecv (this=0x5) at proxy.cc:155\n"
      "#6  0x000055b in Loop::Dispatch (this=0x6, ev=...) at loop.cc:88\n"
      "#7  0x000055c in main (argc=3, argv=0x7) at main.cc:12\n"
      "#8  0x000055d in extra () at main.cc:13\n"
      "\n"
      "Thread 2 (Thread 0x7f LWP 12):\n"
      "#0  0x00007f4 in epoll_wait () from /lib/libc.so.6\n";
  EXPECT_EQ(CrashSignature(text), "(anonymous namespace)::Proxy::OnRecv < Loop::Dispatch < main");
}

// The standard library's frames (long template names) below our code are left out, template
// arguments dropped, and a function gdb shows twice (inlined into itself) counted once.
TEST(CoreDumpTest, ASignatureIsOurOwnFramesWithoutTemplatesOrInlineRepeats) {
  const std::string text =
      "#0  0x000055fd in std::_Hashtable<std::string, std::pair<int, RouteCache::Entry> >::"
      "_M_get_previous_node (this=0x1, __n=0x2) at /usr/include/c++/12/bits/hashtable.h:2046\n"
      "#1  std::unordered_map<std::string, Entry>::erase (this=0x1) at "
      "/usr/include/c++/12/bits/unordered_map.h:771\n"
      "#2  RouteCache::Lookup (this=0x7fff, target=...) at "
      "../targets/http-server/route_cache.cc:24\n"
      "#3  0x000055fd in Table<int>::Find<Key> (t=...) at ../src/table.h:9\n"
      "#4  Table<int>::Find<Key> (t=...) at ../src/table.h:7\n"
      "#5  0x000055fd in Compare::operator< (a=...) at ../src/compare.h:3\n"
      "#6  0x000055fd in Cache::Oldest[abi:cxx11]() (this=0x1) at ../src/cache.cc:5\n";
  EXPECT_EQ(CrashSignature(text, 4),
            "RouteCache::Lookup < Table::Find < Compare::operator< < Cache::Oldest");
  const std::string only_library =
      "#0  0x01 in std::vector<int>::at (this=0x1, n=3) at "
      "/usr/include/c++/12/bits/stl_vector.h:1\n"
      "#1  0x02 in std::__throw_out_of_range_fmt (f=...) at ../../src/functexcept.cc:2\n";
  EXPECT_EQ(CrashSignature(only_library), "std::vector::at < std::__throw_out_of_range_fmt");
}

// gdb attached to a live process: each blocked thread's innermost own frame with a source
// location, past the C library's and the standard library's waits; a thread without one, or
// running its own code, adds nothing.
TEST(CoreDumpTest, WaitingFramesAreEachThreadsInnermostOwnFrameSortedAndDistinct) {
  const std::string text =
      "Thread 3 (Thread 0x7f1 (LWP 12) \"worker\"):\n"
      "#0  0x00007f4 in futex_wait (private=0) at ../sysdeps/nptl/futex-internal.h:146\n"
      "#1  __pthread_cond_wait_common (cond=0x1) at ./nptl/pthread_cond_wait.c:503\n"
      "#2  0x00007f5 in std::condition_variable::wait(std::unique_lock<std::mutex>&) () from "
      "/lib/libstdc++.so.6\n"
      "#3  0x000055a in Pool<Job>::Take (this=0x5) at pool.cc:40\n"
      "#4  0x000055b in Pool<Job>::Run (this=0x5) at pool.cc:20\n"
      "\n"
      "Thread 2 (Thread 0x7f2 (LWP 13) \"worker\"):\n"
      "#0  0x00007f4 in futex_wait (private=0) at ../sysdeps/nptl/futex-internal.h:146\n"
      "#1  0x000055a in Pool<Job>::Take (this=0x5) at pool.cc:40\n"
      "\n"
      "Thread 6 (Thread 0x7f9 (LWP 16) \"closer\"):\n"
      "#0  0x00007f4 in futex_wait (private=0) at ../sysdeps/nptl/futex-internal.h:146\n"
      "#1  0x000055f in (anonymous namespace)::Tracker::WaitForLast(std::function<void ()>) "
      "(this=0x8, done=...) at tracker.cc:30\n"
      "\n"
      "Thread 4 (Thread 0x7f3 (LWP 14) \"io\"):\n"
      "#0  0x00007f6 in clock_nanosleep () from /lib/libc.so.6\n"
      "\n"
      "Thread 1 (Thread 0x7f0 (LWP 11) \"server\"):\n"
      "#0  0x00007f7 in epoll_wait (epfd=3) at ../sysdeps/unix/sysv/linux/epoll_wait.c:30\n"
      "#1  0x000055c in Loop::Run (this=0x6) at loop.cc:88\n"
      "#2  0x000055d in main (argc=3, argv=0x7) at main.cc:12\n"
      "\n"
      "Thread 5 (Thread 0x7f8 (LWP 15) \"busy\"):\n"
      "#0  Hash::Mix (x=7) at hash.cc:9\n"
      "#1  0x000055e in Pool<Job>::Take (this=0x5) at pool.cc:44\n";
  EXPECT_EQ(WaitingFrames(text),
            "(anonymous namespace)::Tracker::WaitForLast, Loop::Run, Pool::Take")
      << "a running thread is not waiting";
  EXPECT_EQ(WaitingFrames("#0  0x00007f6 in clock_nanosleep () from /lib/libc.so.6\n"), "");
}

}  // namespace
}  // namespace stampede
