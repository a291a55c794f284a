#include "scenario/input_limits.h"

#include "scenario/text_file.h"

namespace stampede {
namespace {

constexpr char kNulMessage[] = "holds a NUL byte (\\u0000), which a command line cannot carry";

std::string TooLong(std::size_t size, std::size_t max) {
  return "is " + ByteSize(size) + " long, more than the " + ByteSize(max) + " allowed";
}

}  // namespace

bool IsAsciiLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsAsciiDigit(char c) {
  return c >= '0' && c <= '9';
}

std::string NameProblem(std::string_view name, const std::string& rule) {
  if (name.size() <= kMaxNameBytes) return rule;
  return TooLong(name.size(), kMaxNameBytes) + " for a name";
}

void CheckCommandLine(ObjectReader& reader, const std::string& key,
                      const std::vector<std::string>& command) {
  for (std::size_t i = 0; i < command.size(); ++i) {
    const auto pointer = reader.ChildPointer(key) + "/" + std::to_string(i);
    if (i == 0 && command[i].empty()) {
      reader.Report(pointer, "the program is empty: give its name or path");
    } else if (command[i].find('\0') != std::string::npos) {
      reader.Report(pointer, kNulMessage);
    } else if (command[i].size() > kMaxArgumentBytes) {
      reader.Report(pointer, TooLong(command[i].size(), kMaxArgumentBytes));
    }
  }
}

void CheckEnvironment(ObjectReader& reader, const std::string& key,
                      const std::map<std::string, std::string>& env) {
  for (const auto& [name, value] : env) {
    const auto pointer = reader.ChildPointer(key) + "/" + EscapePointerToken(name);
    if (name.empty() || name.find_first_of(std::string("=\0", 2)) != std::string::npos) {
      reader.Report(pointer, "a variable's name must not be empty or hold '=' or a NUL byte");
    } else if (value.find('\0') != std::string::npos) {
      reader.Report(pointer, kNulMessage);
    } else if (name.size() + value.size() > kMaxArgumentBytes) {
      reader.Report(pointer, TooLong(name.size() + value.size(), kMaxArgumentBytes));
    }
  }
}

bool CheckNameLength(ObjectReader& reader) {
  if (!reader.Has("name")) return true;
  // Another type is reported by the reader that reads the name.
  const auto& value = reader.value().at("name");
  if (!value.is_string() || value.get_ref<const std::string&>().size() <= kMaxNameBytes) {
    return true;
  }
  reader.Report(reader.ChildPointer("name"), NameProblem(value.get_ref<const std::string&>(), ""));
  return false;
}

}  // namespace stampede
