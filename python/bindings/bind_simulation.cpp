// Simulations: the run releases the GIL; at each step boundary the GIL is taken back briefly to
// check for Ctrl-C and to call the progress callback, so a run stops cleanly between two weeks.
#include <pybind11/eigen.h>
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "coopterra/core/parallel.hpp"
#include "coopterra/io/results_file.hpp"
#include "coopterra/simulation.hpp"

namespace py = pybind11;

namespace coopterra::python {

namespace {

py::object column_to_python(const Column& c) {
  return std::visit(
      [](const auto& v) -> py::object {
        using T = typename std::decay_t<decltype(v)>::value_type;
        if constexpr (std::is_same_v<T, std::string>)
          return py::cast(v);
        else
          return py::array_t<T>(static_cast<py::ssize_t>(v.size()), v.data());
      },
      c);
}

py::dict attributes(const std::vector<Attribute>& list) {
  py::dict out;
  for (const auto& a : list) std::visit([&](const auto& v) { out[py::str(a.name)] = v; }, a.value);
  return out;
}

py::dict dataset_to_python(const Dataset& d) {
  auto variables = [](const std::vector<Variable>& vars) {
    py::list out;
    for (const auto& v : vars)
      out.append(
          py::make_tuple(v.name, v.dims, column_to_python(v.data), v.units, v.description, attributes(v.attributes)));
    return out;
  };
  py::dict out;
  out["coords"] = variables(d.coords);
  out["variables"] = variables(d.variables);
  out["attrs"] = attributes(d.attributes);
  return out;
}

}  // namespace

void register_simulation(py::module_& m) {
  py::class_<InputsCache>(m, "InputsCache")
      .def(py::init<std::size_t>(), py::arg("budget_bytes") = InputsCache::kDefaultBudget)
      .def_property_readonly("builds", &InputsCache::builds)
      .def_property_readonly("hits", &InputsCache::hits)
      .def_property_readonly("entries", &InputsCache::entries)
      .def_property_readonly("bytes", &InputsCache::bytes)
      .def("clear", &InputsCache::clear);
  py::class_<Simulation>(m, "Simulation")
      .def(py::init([](const Scenario& scenario, std::uint64_t seed, int threads, InputsCache* cache) {
             py::gil_scoped_release release;
             return std::make_unique<Simulation>(scenario, seed, threads, cache);
           }),
           py::arg("scenario"), py::arg("seed"), py::arg("threads"), py::arg("cache") = nullptr)
      .def(
          "run",
          [](Simulation& s, int weeks, const py::object& on_week) {
            const std::function<bool(int)> boundary = [&on_week](int week) {
              py::gil_scoped_acquire gil;
              if (PyErr_CheckSignals() != 0) throw py::error_already_set();
              return on_week.is_none() ? true : on_week(week).cast<bool>();
            };
            py::gil_scoped_release release;
            return s.run(weeks, boundary);
          },
          py::arg("weeks"), py::arg("on_week") = py::none())
      .def_property_readonly("week", &Simulation::week)
      .def_property_readonly("seed", &Simulation::seed)
      .def_property_readonly("threads", &Simulation::threads)
      .def_property_readonly("scenario", &Simulation::scenario)
      .def_property_readonly("residents", [](const Simulation& s) { return s.residents().size(); })
      .def_property_readonly("state_bytes", &Simulation::state_bytes)
      .def("profile",
           [](const Simulation& s) {
             std::vector<std::tuple<std::string, double, long long>> out;
             for (const auto& p : s.profile().phases()) out.emplace_back(p.name, p.seconds, p.calls);
             return out;
           })
      .def("results", [](const Simulation& s) { return dataset_to_python(s.results()); })
      // Holds the GIL: libhdf5 is shared with h5py and is not thread-safe.
      .def("write_results", &Simulation::write_results, py::arg("path"))
      .def("checkpoint", [](const Simulation& s) { return py::bytes(s.checkpoint()); })
      .def_static(
          "restore",
          [](const py::bytes& data, const Scenario* scenario, int threads) {
            std::string blob = data;
            py::gil_scoped_release release;
            return Simulation::restore(blob, scenario, threads);
          },
          py::arg("checkpoint"), py::arg("scenario"), py::arg("threads"))
      .def_static("checkpoint_scenario",
                  [](const py::bytes& data) { return Simulation::checkpoint_scenario(std::string(data)); })
      .def("territory", [](const Simulation& s) { return std::make_shared<Territory>(s.territory()); })
      // The synthetic population, copied: one array per attribute, and the ties as residents x k.
      .def(
          "population",
          [](const Simulation& s) {
            const Residents& r = s.residents();
            const auto n = static_cast<py::ssize_t>(r.size());
            py::dict out;
            out["home"] = py::array_t<std::uint32_t>(n, r.home.data());
            out["work"] = py::array_t<std::uint32_t>(n, r.work.data());
            out["flags"] = py::array_t<std::uint8_t>(n, r.flags.data());
            out["age_group"] = py::array_t<std::uint8_t>(n, r.age_group.data());
            out["income_decile"] = py::array_t<std::uint8_t>(n, r.income_decile.data());
            out["coop_attitude"] = py::array_t<float>(n, r.coop_attitude.data());
            out["env_attitude"] = py::array_t<float>(n, r.env_attitude.data());
            out["ties"] = py::array_t<std::uint32_t>({n, static_cast<py::ssize_t>(r.ties_per_resident)}, r.ties.data());
            return out;
          })
      .def_property_readonly("firms", [](const Simulation& s) { return s.firms().size(); });

  // For the tests: loops on several threads from this many chunks of residents (core/parallel.hpp).
  m.def("_set_min_chunks_per_thread", [](std::size_t chunks) { min_chunks_per_thread() = chunks; });
  m.def("hdf5_version", &hdf5_version);
  m.def("hdf5_is_threadsafe", &hdf5_is_threadsafe);
}

}  // namespace coopterra::python
