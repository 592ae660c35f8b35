#pragma once
// How a spec struct is described to the parameter registry: schema in code, data in a file.
//
// The registry joins two things, each written once:
//  - the schema: one `describe` function per spec struct binds each scenario key to its member
//    (the pattern of boost-histogram's `serialize`). The type of the parameter is the member's
//    type; a member that is itself a described struct is a table of keys.
//  - the data: for every key its default, range, unit, description and source, in
//    data/registry.toml (embedded in the library at build time; the format is described at the
//    top of that file).
//
// Describing a struct (registry.cpp):
//
//     void describe(Fields<Spec, RunSpec>& f) {
//       f("weeks", &RunSpec::weeks);            // a parameter: std::int64_t, double, bool,
//       f("seed", &RunSpec::seed);              //   std::string, or a vector of strings or doubles
//     }
//     void describe(Fields<Spec, Spec>& f) {
//       f("run", &Spec::run);                   // a table: calls describe(Fields<Spec, RunSpec>&)
//       f(&MarketsSpec::market, market_key);    // (on MarketsSpec) an array of tables, named by index
//     }
//
// Adding a parameter: one member in spec.hpp, one line in its struct's describe, one entry in
// data/registry.toml. A key described but absent from the data is not a parameter (its member
// keeps its C++ initialiser): the platforms of carpooling and barter use only some of
// MarketPlatformSpec's fields. A key in the data that no describe binds is an error.
//
// Root is the object every key is read from (Spec for the scenario's parameters); the same
// mechanism describes any other target, e.g. a policy of the timeline: describe its struct with
// Fields<PolicySpec, ...>, and read its data with parameters_from_data<PolicySpec>(text, file,
// describe_all<PolicySpec>()) (parameters.hpp), the data in the same format.
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace coopterra {

enum class ParamType { Integer, Real, Boolean, String, StringList, RealList };

// The type of a parameter held in a member of type T (no value: T is a table).
template <class T>
constexpr bool is_parameter_value =
    std::is_same_v<T, std::int64_t> || std::is_same_v<T, double> || std::is_same_v<T, bool> ||
    std::is_same_v<T, std::string> || std::is_same_v<T, std::vector<std::string>> ||
    std::is_same_v<T, std::vector<double>>;
template <class T>
constexpr ParamType parameter_type() {
  if constexpr (std::is_same_v<T, std::int64_t>) return ParamType::Integer;
  if constexpr (std::is_same_v<T, double>) return ParamType::Real;
  if constexpr (std::is_same_v<T, bool>) return ParamType::Boolean;
  if constexpr (std::is_same_v<T, std::string>) return ParamType::String;
  if constexpr (std::is_same_v<T, std::vector<std::string>>) return ParamType::StringList;
  if constexpr (std::is_same_v<T, std::vector<double>>) return ParamType::RealList;
}

// One key bound to its member: where a value of the Root lives.
template <class Root>
struct Binding {
  std::string key;  // dotted path, e.g. "carpool.cooperative.commission"
  ParamType type;
  std::function<void*(Root&)> field;
};

// The visitor a describe function receives: the keys of the struct S, found in a Root.
template <class Root, class S>
class Fields {
 public:
  using Sink = std::function<void(Binding<Root>)>;
  Fields(std::string prefix, std::function<S&(Root&)> get, const Sink& sink)
      : prefix_(std::move(prefix)), get_(std::move(get)), sink_(sink) {}

  // A parameter (a value member) or a table (a described struct member).
  template <class T>
  void operator()(std::string_view key, T S::*member) {
    auto get = get_;
    if constexpr (is_parameter_value<T>) {
      sink_(Binding<Root>{prefix_ + std::string(key), parameter_type<T>(),
                          [get, member](Root& r) -> void* { return &(get(r).*member); }});
    } else {
      Fields<Root, T> sub(
          prefix_ + std::string(key) + ".", [get, member](Root& r) -> T& { return get(r).*member; }, sink_);
      describe(sub);
    }
  }

  // An array of tables, the table of element i named name(i).
  template <class T, std::size_t N>
  void operator()(std::array<T, N> S::*member, const char* (*name)(std::size_t) noexcept) {
    auto get = get_;
    for (std::size_t i = 0; i < N; ++i) {
      Fields<Root, T> sub(
          prefix_ + name(i) + ".", [get, member, i](Root& r) -> T& { return (get(r).*member)[i]; }, sink_);
      describe(sub);
    }
  }

 private:
  std::string prefix_;
  std::function<S&(Root&)> get_;
  const Sink& sink_;
};

// Every key of Root, in the order its describe functions visit them.
template <class Root>
std::vector<Binding<Root>> describe_all() {
  std::vector<Binding<Root>> out;
  const typename Fields<Root, Root>::Sink sink = [&out](Binding<Root> b) { out.push_back(std::move(b)); };
  Fields<Root, Root> root(
      "", [](Root& r) -> Root& { return r; }, sink);
  describe(root);
  return out;
}

}  // namespace coopterra
