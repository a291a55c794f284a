// What the fuzz harnesses share: the libFuzzer entry point's signature and a check that stops
// the process on a broken contract, the same way under libFuzzer and in the replay tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

// Called by libFuzzer (or replay_main.cc) with one input; returns 0. Each fuzz_<name>.cc
// defines it.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace stampede::fuzz {

// The input as text; the bytes are not copied.
inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Prints the broken contract and aborts, which libFuzzer reports as a crash (saving the input)
// and the replay test as a failure.
[[noreturn]] inline void Fail(const char* file, int line, const char* condition) {
  std::fprintf(stderr, "%s:%d: fuzz contract broken: %s\n", file, line, condition);
  std::abort();
}

}  // namespace stampede::fuzz

// Like assert, but active in every build type (NDEBUG does not turn it off).
#define FUZZ_CHECK(condition) \
  ((condition) ? static_cast<void>(0) : ::stampede::fuzz::Fail(__FILE__, __LINE__, #condition))
