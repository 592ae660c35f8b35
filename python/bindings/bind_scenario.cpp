// Scenarios and the parameter registry.
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "coopterra/scenario/parameters.hpp"
#include "coopterra/scenario/scenario.hpp"

namespace py = pybind11;

namespace coopterra::python {

namespace {
py::object value_of(const Parameter& p, const Spec& spec) {
  Spec& s = const_cast<Spec&>(spec);
  switch (p.type) {
    case ParamType::Integer: return py::int_(p.as_integer(s));
    case ParamType::Real: return py::float_(p.as_real(s));
    case ParamType::Boolean: return py::bool_(p.as_boolean(s));
    case ParamType::String: return py::str(p.as_string(s));
    case ParamType::StringList: return py::cast(p.as_strings(s));
    case ParamType::RealList: return py::cast(p.as_reals(s));
  }
  return py::none();
}
}  // namespace

void register_scenario(py::module_& m) {
  py::class_<Scenario>(m, "Scenario")
      .def_static("from_file", &Scenario::from_file, py::arg("path"))
      .def_static("from_string", &Scenario::from_string, py::arg("text"), py::arg("source_name"))
      .def_static("defaults", &Scenario::defaults)
      .def(
          "with_overrides",
          [](const Scenario& s, const std::vector<std::tuple<std::string, std::string, std::string>>& items) {
            std::vector<Override> overrides;
            for (const auto& [key, value, origin] : items) overrides.push_back({key, value, origin});
            return s.with_overrides(overrides);
          },
          py::arg("overrides"))
      .def_property_readonly("source_name", &Scenario::source_name)
      .def_property_readonly("text", &Scenario::text)
      .def_property_readonly("overrides",
                             [](const Scenario& s) {
                               std::vector<std::tuple<std::string, std::string, std::string>> out;
                               for (const auto& o : s.overrides()) out.emplace_back(o.key, o.value, o.origin);
                               return out;
                             })
      .def("resolved_toml", [](const Scenario& s) { return s.resolved_toml(); })
      .def(
          "get",
          [](const Scenario& s, const std::string& key) {
            const Parameter* p = find_parameter(key);
            if (!p) throw py::key_error(key);
            return value_of(*p, s.spec());
          },
          py::arg("key"));

  m.def("parameters", [] {
    py::list out;
    const Spec defaults = default_spec();
    for (const auto& p : parameters()) {
      py::dict d;
      d["key"] = p.key;
      d["type"] = to_string(p.type);
      d["default"] = value_of(p, defaults);
      const bool ranged = p.type == ParamType::Integer || p.type == ParamType::Real || p.type == ParamType::RealList;
      d["min"] = ranged ? py::object(py::float_(p.min)) : py::none();
      d["max"] = ranged ? py::object(py::float_(p.max)) : py::none();
      d["choices"] = p.choices;
      d["unit"] = p.unit;
      d["description"] = p.description;
      d["source"] = p.source;
      out.append(d);
    }
    return out;
  });

  m.def("policy_parameters", [] {
    py::list out;
    PolicySpec defaults;
    for (const auto& p : policy_parameters()) p.set_default(defaults);
    for (const auto& p : policy_parameters()) {
      py::dict d;
      d["key"] = p.key;
      d["type"] = to_string(p.type);
      std::vector<std::string> every = policy_kinds();
      every.insert(every.end(), shock_kinds().begin(), shock_kinds().end());
      d["kinds"] = p.kinds.empty() ? every : p.kinds;
      d["required"] = p.required;
      d["default"] = p.value_text(defaults);
      d["min"] = p.type == ParamType::Integer || p.type == ParamType::Real ? py::object(py::float_(p.min)) : py::none();
      d["max"] = p.type == ParamType::Integer || p.type == ParamType::Real ? py::object(py::float_(p.max)) : py::none();
      d["choices"] = p.key == "kind" ? every : p.choices;
      d["unit"] = p.unit;
      d["description"] = p.description;
      d["source"] = p.source;
      out.append(d);
    }
    return out;
  });

  m.def("validate_file", [](const std::string& path) {
    std::vector<std::tuple<std::string, int, int, std::string, std::string>> out;
    for (const auto& d : validate_file(path))
      out.emplace_back(d.where.file, d.where.line, d.where.column, d.where.key, d.message);
    return out;
  });
}

}  // namespace coopterra::python
