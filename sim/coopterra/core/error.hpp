#pragma once
// Typed, located errors. Every error the engine reports says what kind of failure it is
// (configuration, input data, I/O, invariant) and, where it can, where: file, line, column and
// the key path in the scenario. An error may carry several diagnostics, so a scenario with many
// mistakes is reported all at once.
#include <stdexcept>
#include <string>
#include <vector>

namespace coopterra {

enum class ErrorKind { Configuration, InputData, IO, Invariant };

const char* to_string(ErrorKind kind) noexcept;

struct Location {
  std::string file;  // file path, or a label such as "--set" for a command-line override
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
  std::string key;   // dotted key path in the scenario, e.g. "territory.residents"
};

// A location that is a whole file.
inline Location in_file(std::string file) {
  return Location{std::move(file), 0, 0, {}};
}

struct Diagnostic {
  Location where;
  std::string message;
  // "FILE:LINE:COL: key: message", omitting the parts that are unknown.
  std::string format() const;
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::vector<Diagnostic> diagnostics);
  Error(ErrorKind kind, std::string message, Location where = {});
  ErrorKind kind() const noexcept { return kind_; }
  const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  ErrorKind kind_;
  std::vector<Diagnostic> diagnostics_;
};

// A scenario or override that is malformed, mistyped, out of range or inconsistent.
struct ConfigurationError : Error {
  explicit ConfigurationError(std::vector<Diagnostic> d) : Error(ErrorKind::Configuration, std::move(d)) {}
  ConfigurationError(std::string m, Location w = {}) : Error(ErrorKind::Configuration, std::move(m), std::move(w)) {}
};
// Data read from outside (a commune table, an edge list) that is malformed or inconsistent.
struct InputDataError : Error {
  explicit InputDataError(std::vector<Diagnostic> d) : Error(ErrorKind::InputData, std::move(d)) {}
  InputDataError(std::string m, Location w = {}) : Error(ErrorKind::InputData, std::move(m), std::move(w)) {}
};
// A file that cannot be read or written.
struct IOError : Error {
  IOError(std::string m, Location w = {}) : Error(ErrorKind::IO, std::move(m), std::move(w)) {}
};
// A broken internal law (money not conserved, a count out of bounds): a bug, never user error.
struct InvariantError : Error {
  InvariantError(std::string m, Location w = {}) : Error(ErrorKind::Invariant, std::move(m), std::move(w)) {}
};

// Throws InvariantError with the message when the condition does not hold.
inline void ensure(bool condition, const char* message) {
  if (!condition) throw InvariantError(message);
}
inline void ensure(bool condition, const std::string& message) {
  if (!condition) throw InvariantError(message);
}

}  // namespace coopterra
