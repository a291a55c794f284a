#include "run/resolve_target.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

TEST(ResolveTargetTest, ExpandsCommandAndEnvironmentWithItsOwnPort) {
  TargetSpec spec;
  spec.name = "server";
  spec.command = {"{targets}/http-server", "--port", "{port}"};
  spec.env = {{"PEER", "127.0.0.1:{other.port}"}};
  spec.log_limit_mb = 8;
  auto target = ResolveTarget(spec, 4242, {{"targets", "/t"}, {"other.port", "5000"}});
  ASSERT_TRUE(target.ok()) << target.error().message;
  EXPECT_EQ(target.value().argv, (std::vector<std::string>{"/t/http-server", "--port", "4242"}));
  EXPECT_EQ(target.value().env.at("PEER"), "127.0.0.1:5000");
  EXPECT_EQ(target.value().port, 4242);
  EXPECT_EQ(target.value().log_cap_bytes, 8 << 20);
}

TEST(ResolveTargetTest, AnUnknownPlaceholderIsAnError) {
  TargetSpec spec;
  spec.name = "server";
  spec.command = {"server", "{nope.port}"};
  EXPECT_FALSE(ResolveTarget(spec, 1, {}).ok());
}

}  // namespace
}  // namespace stampede
