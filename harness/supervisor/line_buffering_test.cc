#include "supervisor/line_buffering.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

TEST(LineBufferingTest, PreloadsStdbufAfterTheTargetsOwnPreload) {
  std::map<std::string, std::string> env{{"LD_PRELOAD", "/opt/libmine.so"}};
  ASSERT_TRUE(LineBufferedEnvironment(env).ok());
  EXPECT_EQ(env["LD_PRELOAD"], std::string("/opt/libmine.so:") + kLibStdbuf);
  EXPECT_EQ(env["_STDBUF_O"], "L");
  EXPECT_NE(env["ASAN_OPTIONS"].find("verify_asan_link_order=0"), std::string::npos);
}

TEST(LineBufferingTest, WithoutAPreloadOfItsOwnOnlyStdbufIsPreloaded) {
  std::map<std::string, std::string> env;
  ASSERT_TRUE(LineBufferedEnvironment(env).ok());
  const char* ours = std::getenv("LD_PRELOAD");
  const std::string expected =
      (ours != nullptr && *ours != '\0' ? std::string(ours) + ":" : "") + kLibStdbuf;
  EXPECT_EQ(env["LD_PRELOAD"], expected);
}

}  // namespace
}  // namespace stampede
