#include "scenario/value_locations.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

TEST(ValueLocationsTest, FindsMembersAndElementsByPointer) {
  ValueLocations locations;
  auto root = locations.AddRoot(0);
  auto list = locations.AddMember(root, "a/b", 1).first;
  locations.AddElement(list, 10);
  auto second = locations.AddElement(list, 20);
  locations.AddMember(second, "c~d", 21);
  EXPECT_EQ(locations.Find(""), 0U);
  EXPECT_EQ(locations.Find("/a~1b"), 1U);
  EXPECT_EQ(locations.Find("/a~1b/0"), 10U);
  EXPECT_EQ(locations.Find("/a~1b/1/c~0d"), 21U);
}

TEST(ValueLocationsTest, AnUnknownPointerFindsItsNearestRecordedAncestor) {
  ValueLocations locations;
  EXPECT_EQ(locations.Find("/x"), std::nullopt);
  auto root = locations.AddRoot(5);
  auto list = locations.AddMember(root, "list", 6).first;
  locations.AddElement(list, 7);
  locations.AddElement(list, 8);
  EXPECT_EQ(locations.Find("/nosuch/0"), 5U);
  EXPECT_EQ(locations.Find("/list/2"), 6U);
  EXPECT_EQ(locations.Find("/list/01"), 6U);  // not an index: leading zero
  EXPECT_EQ(locations.Find("/list/-1"), 6U);
  EXPECT_EQ(locations.Find("/list/0/deeper"), 7U);
}

TEST(ValueLocationsTest, ASecondMemberOfTheSameNameIsNotRecorded) {
  ValueLocations locations;
  auto root = locations.AddRoot(0);
  auto first = locations.AddMember(root, "k", 1);
  auto again = locations.AddMember(root, "k", 9);
  EXPECT_TRUE(first.second);
  EXPECT_FALSE(again.second);
  EXPECT_EQ(again.first, first.first);
  EXPECT_EQ(locations.Find("/k"), 1U);
}

TEST(LineIndexTest, CountsLinesAndColumnsFromOne) {
  LineIndex lines("ab\ncd\n\nx");
  EXPECT_EQ(lines.LineAndColumn(0), std::make_pair(1, 1));
  EXPECT_EQ(lines.LineAndColumn(2), std::make_pair(1, 3));  // the newline
  EXPECT_EQ(lines.LineAndColumn(3), std::make_pair(2, 1));
  EXPECT_EQ(lines.LineAndColumn(6), std::make_pair(3, 1));
  EXPECT_EQ(lines.LineAndColumn(7), std::make_pair(4, 1));
}

}  // namespace
}  // namespace stampede
