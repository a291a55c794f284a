// Signal names as users write them ("SIGTERM", "TERM", "15") and as verdicts show them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stampede {

// "SIGSEGV" for 11; "SIG<n>" for numbers without a name.
std::string SignalName(int signal);

// Accepts "SIGTERM", "TERM" or a decimal number; nullopt when unknown.
std::optional<int> ParseSignal(std::string_view text);

}  // namespace stampede
