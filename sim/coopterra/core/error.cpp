#include "coopterra/core/error.hpp"

#include <numeric>

namespace coopterra {

const char* to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::Configuration: return "configuration error";
    case ErrorKind::InputData: return "input data error";
    case ErrorKind::IO: return "I/O error";
    case ErrorKind::Invariant: return "invariant violated";
  }
  return "error";
}

std::string Diagnostic::format() const {
  std::string out;
  if (!where.file.empty()) {
    out += where.file;
    if (where.line > 0) {
      out += ':' + std::to_string(where.line);
      if (where.column > 0) out += ':' + std::to_string(where.column);
    }
    out += ": ";
  }
  if (!where.key.empty()) out += where.key + ": ";
  out += message;
  return out;
}

namespace {
std::string join(ErrorKind kind, const std::vector<Diagnostic>& diagnostics) {
  std::string out = to_string(kind);
  if (diagnostics.size() == 1) return out + ": " + diagnostics.front().format();
  out += " (" + std::to_string(diagnostics.size()) + " problems):";
  for (const auto& d : diagnostics) out += "\n  " + d.format();
  return out;
}
}  // namespace

Error::Error(ErrorKind kind, std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join(kind, diagnostics)), kind_(kind), diagnostics_(std::move(diagnostics)) {}

Error::Error(ErrorKind kind, std::string message, Location where)
    : Error(kind, std::vector<Diagnostic>{Diagnostic{std::move(where), std::move(message)}}) {}

}  // namespace coopterra
