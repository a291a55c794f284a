// Template strings used in scenario files: "{name}" is a placeholder, "{{" and "}}" are
// literal braces. Expansion happens in two passes: parameters when the scenario is loaded,
// run-time values (ports, folders, per-request sequence) when a run needs the final string.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace stampede {

using PlaceholderValues = std::map<std::string, std::string, std::less<>>;

// Names of the placeholders in `text`, in order. An unbalanced brace is an InvalidInput.
Result<std::vector<std::string>> PlaceholderNames(std::string_view text);

// Replaces the placeholders that `values` knows. With `keep_unknown` the others, and
// escaped braces, are kept verbatim so the result is still a template; without it an
// unknown placeholder is an InvalidInput and escapes become single braces.
Result<std::string> ExpandPlaceholders(std::string_view text, const PlaceholderValues& values,
                                       bool keep_unknown);

// The length ExpandPlaceholders(text, values, true) returns, found without building it, so
// that a caller can refuse a text that would grow too long. An unbalanced brace is an
// InvalidInput as there.
Result<std::size_t> ExpandedLength(std::string_view text, const PlaceholderValues& values);

// Expands what a template holds once ExpandPlaceholders(keep_unknown) has run: {seq} becomes
// `seq`, and the escapes {{ and }} single braces. Cheap enough for every request.
std::string ExpandSeq(std::string_view text, std::string_view seq);

// The name when `text` is exactly one placeholder ("{requests}"), else empty.
std::string SolePlaceholder(std::string_view text);

}  // namespace stampede
