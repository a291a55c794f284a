#include "flags.h"

#include <charconv>
#include <cstdio>
#include <string>

std::optional<int> ParseInt(std::string_view text, int min, int max) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

bool ParseFlagPairs(int argc, char** argv, const char* program, const char* usage,
                    const std::function<bool(std::string_view, std::string_view)>& apply) {
  for (int i = 1; i < argc; ++i) {
    const char* given = argv[i];
    std::string_view arg = given;
    std::string_view flag = arg.substr(0, arg.find('='));
    std::optional<std::string_view> value;
    if (flag.size() < arg.size()) {
      value = arg.substr(flag.size() + 1);
    } else if (i + 1 < argc) {
      value = argv[++i];
    }
    if (!value || !apply(flag, *value)) {
      std::string shown = value ? std::string(flag) + " " + std::string(*value) : given;
      std::fprintf(stderr, "%s: invalid argument '%s'\n%s", program, shown.c_str(), usage);
      return false;
    }
  }
  return true;
}

bool PrintUsageIfAsked(int argc, char** argv, const char* usage) {
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--help" || std::string_view(argv[i]) == "-h") {
      std::fputs(usage, stdout);
      return true;
    }
  }
  return false;
}
