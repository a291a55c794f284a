// Templates for the configuration files a scenario writes into its run folder (an nginx or
// nutcracker config, say). Config languages use braces of their own, so the rule here is
// looser than in scenario strings: "{name}" is a placeholder only when `name` looks like one
// ([A-Za-z_][A-Za-z0-9_.-]*); every other brace is literal text, and there are no escapes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scenario/placeholders.h"

namespace stampede {

struct FilePlaceholder {
  std::string name;
  int line = 1;  // 1-based line of the placeholder in the file
};

// Every placeholder in `text`, in order.
std::vector<FilePlaceholder> FilePlaceholders(std::string_view text);

// Replaces the placeholders that `values` knows; others stay as they are.
std::string ExpandFileTemplate(std::string_view text, const PlaceholderValues& values);

// The length ExpandFileTemplate returns, found without building it.
std::size_t ExpandedFileTemplateLength(std::string_view text, const PlaceholderValues& values);

}  // namespace stampede
