#include "reports/text_escape.h"

#include <gtest/gtest.h>

namespace stampede::reports {
namespace {

TEST(XmlEscapeTest, EscapesMarkupQuotesAndControlCharacters) {
  EXPECT_EQ(XmlEscape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
  EXPECT_EQ(XmlEscape("line1\nline2\tx\r"), "line1&#10;line2&#9;x&#13;");
  EXPECT_EQ(XmlEscape(std::string("nul\0bell\x07", 9)), "nul\\x00bell\\x07");
  EXPECT_EQ(XmlEscape("\xef\xbf\xbe\xef\xbf\xbf"), "\\uFFFE\\uFFFF");
  EXPECT_EQ(XmlEscape("caf\xc3\xa9 \xe2\x9c\x93"), "caf\xc3\xa9 \xe2\x9c\x93") << "UTF-8 kept";
}

TEST(XmlTextTest, KeepsLineBreaksAndTabsInContent) {
  EXPECT_EQ(XmlText("a<b\n\tc\r\x02"), "a&lt;b\n\tc&#13;\\x02");
}

TEST(HtmlEscapeTest, EscapesMarkupAndQuotes) {
  EXPECT_EQ(HtmlEscape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;");
  EXPECT_EQ(HtmlEscape("plain\nline\x01"), "plain\nline\\x01");
}

TEST(MarkdownCellTest, KeepsATableCellOneLiteralCell) {
  EXPECT_EQ(MarkdownCell("a|b"), "a\\|b");
  EXPECT_EQ(MarkdownCell("one\ntwo\r\nthree"), "one<br>two<br>three");
  EXPECT_EQ(MarkdownCell("<b>x</b> & *y* _z_ `c` [l](u)"),
            "&lt;b&gt;x&lt;/b&gt; &amp; \\*y\\* \\_z\\_ \\`c\\` \\[l\\](u)");
  EXPECT_EQ(MarkdownCell(std::string("a\0b\x1b", 4)), "ab");
}

TEST(UrlPathTest, PercentEncodesAllButUnreservedAndSlash) {
  EXPECT_EQ(UrlPath("../cells/003-split-reply-bug=split reply/verdict.json"),
            "../cells/003-split-reply-bug%3Dsplit%20reply/verdict.json");
  EXPECT_EQ(UrlPath("a#b?c%\"<"), "a%23b%3Fc%25%22%3C");
}

}  // namespace
}  // namespace stampede::reports
