// Errors as values for the report library: a failed step returns a ReportError whose message is
// complete on its own (it names the file and what is wrong). Only the CLI turns it into an exit
// code. Self-contained on purpose: reports/ does not depend on the harness.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace stampede::reports {

struct ReportError {
  enum class Kind {
    kInvalidInput,  // a suite.json that is missing, malformed or of another schema (exit 2)
    kEnvironment,   // an output file that cannot be written (exit 3)
  };
  Kind kind = Kind::kInvalidInput;
  std::string message;
};

// A value or a ReportError. Accessing value() of an error result is a programming mistake.
template <typename T>
class ReportResult {
 public:
  ReportResult(T value) : state_(std::move(value)) {}            // NOLINT: implicit by design
  ReportResult(ReportError error) : state_(std::move(error)) {}  // NOLINT: implicit by design
  bool ok() const { return std::holds_alternative<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const ReportError& error() const { return std::get<ReportError>(state_); }

 private:
  std::variant<T, ReportError> state_;
};

}  // namespace stampede::reports
