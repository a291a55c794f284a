// Command-line flags for the sample targets: "--flag value" or "--flag=value" pairs.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

// A decimal integer in [min, max], or nullopt.
std::optional<int> ParseInt(std::string_view text, int min, int max);

// Feeds every flag/value pair of argv to `apply`. On the first pair `apply` rejects (or a
// flag without a value) prints "PROGRAM: invalid argument '...'" and `usage` to stderr and
// returns false.
bool ParseFlagPairs(int argc, char** argv, const char* program, const char* usage,
                    const std::function<bool(std::string_view, std::string_view)>& apply);

// True (after printing `usage` to stdout) when argv asks for --help or -h.
bool PrintUsageIfAsked(int argc, char** argv, const char* usage);
