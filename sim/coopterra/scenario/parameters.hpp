#pragma once
// The parameter registry: every scenario key with its type, default, range, unit and source.
// Validation, defaults, the resolved scenario written into results, the Python introspection and
// docs/parameters.md are all generated from this one table. The scenario's parameters are built
// from a describe function per spec struct (registry.cpp; the pattern is explained in
// describe.hpp) and the data of data/registry.toml, embedded at build time.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "coopterra/scenario/describe.hpp"
#include "coopterra/scenario/spec.hpp"

namespace coopterra {

const char* to_string(ParamType type) noexcept;

// One parameter of a Target (the Spec, or one policy of the timeline).
template <class Target>
struct BasicParameter {
  std::string key = {};  // dotted path, e.g. "territory.residents"
  ParamType type = ParamType::Real;
  double default_number = 0;              // Integer, Real, Boolean (0/1)
  std::string default_text = {};          // String
  double min = 0, max = 0;                // inclusive range of Integer, Real and each RealList element
  std::vector<std::string> choices = {};  // allowed values of a String; empty = any text
  std::string unit = {};
  std::string description = {};
  std::string source = {};                        // publication, or "assumption: ..." with the reasoning
  std::function<void*(Target&)> field = {};       // the member the value lives in
  std::vector<double> default_reals = {};         // RealList
  std::size_t length = 0;                         // RealList: exact number of elements (0: any)
  bool is_path = false;                           // String: a file, relative to the scenario's folder
  std::vector<std::string> default_strings = {};  // StringList

  std::int64_t& as_integer(Target& s) const { return *static_cast<std::int64_t*>(field(s)); }
  double& as_real(Target& s) const { return *static_cast<double*>(field(s)); }
  bool& as_boolean(Target& s) const { return *static_cast<bool*>(field(s)); }
  std::string& as_string(Target& s) const { return *static_cast<std::string*>(field(s)); }
  std::vector<std::string>& as_strings(Target& s) const { return *static_cast<std::vector<std::string>*>(field(s)); }
  std::vector<double>& as_reals(Target& s) const { return *static_cast<std::vector<double>*>(field(s)); }
  // The value as TOML text, e.g. `0.12`, `"synthetic"`, `true`, `["26"]`.
  std::string value_text(const Target& s) const;
  // Sets the default value.
  void set_default(Target& s) const;
};

using Parameter = BasicParameter<Spec>;

// A field of a policy of the timeline ([[policies]]); `kinds` lists the policy kinds that take
// it (empty: every kind).
struct PolicyParameter : BasicParameter<PolicySpec> {
  std::vector<std::string> kinds = {};
  bool required = false;
};

// The kinds of policy and their fields.
const std::vector<std::string>& policy_kinds();
// The kinds of shock ([[shocks]]); their fields are in policy_parameters() too.
const std::vector<std::string>& shock_kinds();
const std::vector<PolicyParameter>& policy_parameters();
// The fields a kind of policy takes.
std::vector<const PolicyParameter*> policy_parameters_of(const std::string& kind);

const std::vector<Parameter>& parameters();
const Parameter* find_parameter(std::string_view key);
// True when some parameter lives under the table `path` (e.g. "carpool.cooperative").
bool is_parameter_table(std::string_view path);
// A Spec with every parameter at its default.
Spec default_spec();

// The registry's data as embedded in the library (data/registry.toml).
std::string_view registry_data();
// The parameters of the Spec from registry data in the format of data/registry.toml; a
// std::logic_error naming the file, line and key if the data is wrong (parameters() uses the
// embedded data; tests give their own).
std::vector<Parameter> build_registry(std::string_view data, std::string_view source_name);
// The parameters of a Target from data in the format of data/registry.toml, each key bound by
// `described` (describe_all<Target>() of its describe functions), in the data's order; a
// std::logic_error naming the file, line and key if the data is wrong. Instantiated for Spec and
// PolicySpec.
template <class Target>
std::vector<BasicParameter<Target>> parameters_from_data(std::string_view data, std::string_view source_name,
                                                         std::vector<Binding<Target>> described);
// Every key the describe functions of the Spec bind, with its member (registry.cpp).
std::vector<Binding<Spec>> spec_bindings();
// Keys a describe function binds but the data does not list: not parameters (platform fields a
// kind of platform does not use).
std::vector<std::string> unlisted_keys();

}  // namespace coopterra
