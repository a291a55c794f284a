#include "commands.h"

#include <algorithm>
#include <cctype>

namespace resp {
namespace {

void AppendBulk(const std::string& value, std::string* out) {
  out->append("$").append(std::to_string(value.size())).append("\r\n");
  out->append(value).append("\r\n");
}

std::string Lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// A command name quoted in an error line, with CR and LF replaced so the reply stays one line.
std::string Printable(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  return text;
}

void AppendArityError(const std::string& name, std::string* out) {
  out->append("-ERR wrong number of arguments for '").append(name).append("' command\r\n");
}

// Returns false (after appending the error) if args does not have `min`..`max` entries.
bool CheckArity(const std::vector<std::string>& args, size_t min, size_t max,
                const std::string& name, std::string* out) {
  if (args.size() >= min && args.size() <= max) return true;
  AppendArityError(name, out);
  return false;
}

}  // namespace

After Execute(const std::vector<std::string>& args, Store* store, std::string* out) {
  const std::string name = Lowercase(args[0]);
  if (name == "ping") {
    if (!CheckArity(args, 1, 2, name, out)) return After::kContinue;
    if (args.size() == 1) {
      out->append("+PONG\r\n");
    } else {
      AppendBulk(args[1], out);
    }
  } else if (name == "echo") {
    if (CheckArity(args, 2, 2, name, out)) AppendBulk(args[1], out);
  } else if (name == "set") {
    if (!CheckArity(args, 3, 3, name, out)) return After::kContinue;
    (*store)[args[1]] = args[2];
    out->append("+OK\r\n");
  } else if (name == "get") {
    if (!CheckArity(args, 2, 2, name, out)) return After::kContinue;
    auto it = store->find(args[1]);
    if (it == store->end()) {
      out->append("$-1\r\n");
    } else {
      AppendBulk(it->second, out);
    }
  } else if (name == "quit") {
    out->append("+OK\r\n");
    return After::kClose;
  } else {
    out->append("-ERR unknown command '").append(Printable(args[0])).append("'\r\n");
  }
  return After::kContinue;
}

void AppendProtocolError(const std::string& reason, std::string* out) {
  out->append("-ERR Protocol error: ").append(reason).append("\r\n");
}

}  // namespace resp
