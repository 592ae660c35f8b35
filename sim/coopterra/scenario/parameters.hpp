#pragma once
// The parameter registry: every scenario key with its type, default, range, unit and source.
// Validation, defaults, the resolved scenario written into results, the Python introspection and
// docs/parameters.md are all generated from this one table.
#include <string>
#include <string_view>
#include <vector>

#include "coopterra/scenario/spec.hpp"

namespace coopterra {

enum class ParamType { Integer, Real, Boolean, String, StringList, RealList };

const char* to_string(ParamType type) noexcept;

struct Parameter {
  std::string key;  // dotted path, e.g. "territory.residents"
  ParamType type;
  double default_number = 0;         // Integer, Real, Boolean (0/1)
  std::string default_text;          // String
  double min = 0, max = 0;           // inclusive range of Integer, Real and each RealList element
  std::vector<std::string> choices;  // allowed values of a String; empty = any text
  std::string unit;
  std::string description;
  std::string source;  // publication, or "assumption: ..." with the reasoning
  void* (*field)(Spec&);
  std::vector<double> default_reals = {};  // RealList
  std::size_t length = 0;                  // RealList: exact number of elements
  bool is_path = false;                    // String: a file, relative to the scenario's folder

  std::int64_t& as_integer(Spec& s) const { return *static_cast<std::int64_t*>(field(s)); }
  double& as_real(Spec& s) const { return *static_cast<double*>(field(s)); }
  bool& as_boolean(Spec& s) const { return *static_cast<bool*>(field(s)); }
  std::string& as_string(Spec& s) const { return *static_cast<std::string*>(field(s)); }
  std::vector<std::string>& as_strings(Spec& s) const { return *static_cast<std::vector<std::string>*>(field(s)); }
  std::vector<double>& as_reals(Spec& s) const { return *static_cast<std::vector<double>*>(field(s)); }
  // Value in a Spec as TOML text, e.g. `0.12`, `"synthetic"`, `true`.
  std::string value_text(const Spec& s) const;
};

const std::vector<Parameter>& parameters();
const Parameter* find_parameter(std::string_view key);
// True when some parameter lives under the table `path` (e.g. "carpool.cooperative").
bool is_parameter_table(std::string_view path);
// A Spec with every parameter at its default.
Spec default_spec();

}  // namespace coopterra
