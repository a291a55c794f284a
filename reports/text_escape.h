// Escaping of user-controlled text (scenario names, failure summaries, commands) for the
// report formats. Pure functions; input is UTF-8 (nlohmann::json guarantees it for parsed text).
#pragma once

#include <string>
#include <string_view>

namespace stampede::reports {

// Text for an XML 1.0 attribute value: & < > " ' as entities; tab, newline and carriage return
// as character references (so attribute normalisation keeps them); every other character
// XML 1.0 forbids (C0 controls, U+FFFE, U+FFFF) as the visible text "\xNN" / "\uFFFE".
std::string XmlEscape(std::string_view text);

// The same for element content, where tab and newline stay as they are (a carriage return is
// still a reference, since parsers would turn it into a newline).
std::string XmlText(std::string_view text);

// Text for HTML element content or a quoted attribute value: & < > " ' as references; control
// characters other than tab and line breaks as the visible text "\xNN".
std::string HtmlEscape(std::string_view text);

// Text for one cell of a GitHub-flavoured Markdown table, shown literally: HTML-significant
// characters as entities, Markdown punctuation backslash-escaped, `|` as "\|", line breaks as
// <br>, other control characters dropped.
std::string MarkdownCell(std::string_view text);

// A path for a URL (href): each byte outside unreserved characters and "/" percent-encoded.
std::string UrlPath(std::string_view path);

}  // namespace stampede::reports
