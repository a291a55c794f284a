// Reading a dead process's stderr for the line a developer wants to see first.
#pragma once

#include <string>
#include <string_view>

namespace stampede {

// The most telling lines of `stderr_text`, the title block: a sanitizer report title
// ("AddressSanitizer: heap-use-after-free on address ...") and its first stack frame
// ("#0 Handle server.cc:42", the address left out), an assertion failure
// ("prog: file.cc:12: int f(): Assertion `x' failed."), "terminate called after throwing ..."
// and its "what(): ..." line, a glibc heap-corruption abort ("free(): invalid pointer",
// "double free or corruption (out)", "malloc(): unaligned tcache chunk detected", ...), or
// "*** stack smashing detected ***". Lines joined by '\n', the headline first. Sanitizer titles
// win over the rest; otherwise the first match. Empty when nothing is recognised.
std::string CrashTitle(std::string_view stderr_text);

// The last `max_lines` lines of `text`, at most `max_bytes` bytes (cut at a line start
// when possible).
std::string TailLines(std::string_view text, int max_lines, std::size_t max_bytes = 8192);

}  // namespace stampede
