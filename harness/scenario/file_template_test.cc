#include "scenario/file_template.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

TEST(FileTemplate, ReplacesKnownNamesAndKeepsConfigBraces) {
  const std::string nginx =
      "server {\n  listen 127.0.0.1:{port};\n  location ~ ^/x{3}$ { return 200; }\n}\n";
  EXPECT_EQ(ExpandFileTemplate(nginx, {{"port", "8080"}}),
            "server {\n  listen 127.0.0.1:8080;\n  location ~ ^/x{3}$ { return 200; }\n}\n");
}

TEST(FileTemplate, UnknownNamesStayVerbatim) {
  EXPECT_EQ(ExpandFileTemplate("{a}{b}{redis.port}", {{"a", "1"}, {"redis.port", "2"}}), "1{b}2");
}

TEST(FileTemplate, ListsPlaceholdersWithTheirLines) {
  auto found = FilePlaceholders("a: {x}\nb: { not one }\nc: {y.port} {z-1}\n{");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].name, "x");
  EXPECT_EQ(found[0].line, 1);
  EXPECT_EQ(found[1].name, "y.port");
  EXPECT_EQ(found[1].line, 3);
  EXPECT_EQ(found[2].name, "z-1");
}

TEST(FileTemplate, BracesThatAreNotNamesAreNotPlaceholders) {
  EXPECT_TRUE(FilePlaceholders("{} {1a} {a b} {{ }} {a").empty());
  EXPECT_EQ(ExpandFileTemplate("{} {1a} {a", {{"a", "x"}}), "{} {1a} {a");
}

}  // namespace
}  // namespace stampede
