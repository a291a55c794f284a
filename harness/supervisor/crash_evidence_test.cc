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
        TitleCase{"tsan", "==================\nWARNING: ThreadSanitizer: data race (pid=7)\n",
                  "ThreadSanitizer: data race (pid=7)"},
        TitleCase{"ubsan", "a.cc:3:5: runtime error: signed integer overflow\n",
                  "a.cc:3:5: runtime error: signed integer overflow"},
        TitleCase{"exception",
                  "terminate called after throwing an instance of 'std::out_of_range'\n  what():  "
                  "map::at\n",
                  "terminate called after throwing an instance of 'std::out_of_range'"},
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
