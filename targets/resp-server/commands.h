// The command set of resp-server and the key-value store behind it.
//
// Execute() is pure apart from the store it is given: it appends exactly one RESP2 reply to *out
// for every command, so pipelined requests are answered in order by calling it once per request.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

namespace resp {

// The key space. Not thread-safe: the server owns one and touches it from its single thread.
using Store = std::unordered_map<std::string, std::string>;

enum class After {
  kContinue,  // Keep serving the connection.
  kClose,     // QUIT: send what is buffered, then close.
};

// Runs one non-empty command (args[0] is the name, case-insensitive) against *store and appends
// its reply to *out. Commands: PING [msg], ECHO msg, SET k v, GET k, QUIT.
After Execute(const std::vector<std::string>& args, Store* store, std::string* out);

// Appends "-ERR Protocol error: <reason>\r\n".
void AppendProtocolError(const std::string& reason, std::string* out);

}  // namespace resp
