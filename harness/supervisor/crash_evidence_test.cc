#include "supervisor/crash_evidence.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

struct TitleCase {
  const char* what;
  const char* stderr_text;
  const char* title;
};

class CrashTitleTest : public ::testing::TestWithParam<TitleCase> {};

TEST_P(CrashTitleTest, FindsTheTellingLine) {
  EXPECT_EQ(CrashTitle(GetParam().stderr_text), GetParam().title) << GetParam().what;
}

INSTANTIATE_TEST_SUITE_P(
    Titles, CrashTitleTest,
    ::testing::Values(
        TitleCase{
            "assertion",
            "starting\nproxy: proxy.c:88: void arm(conn*): Assertion `!cd->pending_recv' failed.\n",
            "proxy: proxy.c:88: void arm(conn*): Assertion `!cd->pending_recv' failed."},
        TitleCase{"asan over assertion",
                  "x: a.c:1: f: Assertion `y' failed.\n==12==ERROR: AddressSanitizer: "
                  "heap-use-after-free on address 0x1 at pc 0x2\n",
                  "AddressSanitizer: heap-use-after-free on address 0x1 at pc 0x2"},
        TitleCase{"asan with its frame",
                  "==9==ERROR: AddressSanitizer: heap-use-after-free on address 0x1 at pc 0x2\n"
                  "READ of size 8 at 0x1 thread T3\n"
                  "    #0 0x55d3c2 in Cache::Get(std::string const&) cache.cc:41\n"
                  "    #1 0x55d400 in Handle server.cc:90\n",
                  "AddressSanitizer: heap-use-after-free on address 0x1 at pc 0x2\n"
                  "#0 Cache::Get(std::string const&) cache.cc:41"},
        TitleCase{"tsan", "==================\nWARNING: ThreadSanitizer: data race (pid=7)\n",
                  "ThreadSanitizer: data race (pid=7)"},
        TitleCase{"tsan with its frame",
                  "WARNING: ThreadSanitizer: data race (pid=7)\n  Write of size 4 at 0x7b by "
                  "thread T1:\n    #0 Bump counter.cc:12 (prog+0x1234)\n",
                  "ThreadSanitizer: data race (pid=7)\n#0 Bump counter.cc:12 (prog+0x1234)"},
        TitleCase{"ubsan", "a.cc:3:5: runtime error: signed integer overflow\n",
                  "a.cc:3:5: runtime error: signed integer overflow"},
        TitleCase{"exception and its what()",
                  "terminate called after throwing an instance of 'std::future_error'\n  what():  "
                  "std::future_error: Promise already satisfied\n",
                  "terminate called after throwing an instance of 'std::future_error'\n"
                  "what():  std::future_error: Promise already satisfied"},
        TitleCase{"exception without what()",
                  "terminate called after throwing an instance of 'int'\nAborted\n",
                  "terminate called after throwing an instance of 'int'"},
        TitleCase{"glibc free", "free(): invalid pointer\n", "free(): invalid pointer"},
        TitleCase{"glibc double free", "double free or corruption (fasttop)\n",
                  "double free or corruption (fasttop)"},
        TitleCase{"glibc malloc", "malloc(): unaligned tcache chunk detected\n",
                  "malloc(): unaligned tcache chunk detected"},
        TitleCase{"stack smashing", "*** stack smashing detected ***: terminated\n",
                  "*** stack smashing detected ***: terminated"},
        TitleCase{"crlf", "free(): invalid size\r\n", "free(): invalid size"},
        TitleCase{"nothing", "listening on 127.0.0.1:80\nbye\n", ""}, TitleCase{"empty", "", ""}));

TEST(TailLinesTest, KeepsTheLastLines) {
  EXPECT_EQ(TailLines("a\nb\nc\n", 2), "b\nc\n");
  EXPECT_EQ(TailLines("a\nb\nc", 2), "b\nc");
  EXPECT_EQ(TailLines("a\nb\n", 5), "a\nb\n");
  EXPECT_EQ(TailLines("", 3), "");
}

TEST(TailLinesTest, CutsLongTextAtALineStart) {
  std::string text(100, 'x');
  text += "\nlast line\n";
  EXPECT_EQ(TailLines(text, 10, 20), "last line\n");
}

}  // namespace
}  // namespace stampede
