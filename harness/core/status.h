// Errors as values at library boundaries. Library code returns Status or Result<T>;
// only the CLI turns them into messages and exit codes.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace stampede {

// What went wrong, coarsely, so the CLI can pick an exit code without parsing text.
enum class ErrorKind {
  kInvalidInput,  // a scenario, parameter or flag the user must fix (exit 2)
  kEnvironment,   // the harness could not run: missing binary, no port, I/O failure (exit 3)
};

// Immutable error description. `message` is complete and human-readable on its own.
struct Error {
  ErrorKind kind = ErrorKind::kEnvironment;
  std::string message;
};

inline Error InvalidInput(std::string message) {
  return {ErrorKind::kInvalidInput, std::move(message)};
}
inline Error EnvironmentError(std::string message) {
  return {ErrorKind::kEnvironment, std::move(message)};
}

// Success or one Error.
class Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design
  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

// A value or an Error. Accessing value() of an error result is a programming mistake.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design
  bool ok() const { return std::holds_alternative<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const Error& error() const { return std::get<Error>(state_); }
  Status status() const { return ok() ? Status() : Status(error()); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace stampede
