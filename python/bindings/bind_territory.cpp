// Territories: zones as columns (a pandas DataFrame in Python), roads, distance and time matrices.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "coopterra/scenario/scenario.hpp"
#include "coopterra/territory/territory.hpp"

namespace py = pybind11;

namespace coopterra::python {

namespace {
template <class T>
py::array_t<T> array(const std::vector<T>& v) {
  return py::array_t<T>(static_cast<py::ssize_t>(v.size()), v.data());
}
}  // namespace

void register_territory(py::module_& m) {
  py::class_<Territory, std::shared_ptr<Territory>>(m, "Territory")
      .def_readonly("source", &Territory::source)
      .def_readonly("notes", &Territory::notes)
      .def("checksum", &Territory::checksum)
      .def("population", &Territory::population)
      .def("zones",
           [](const Territory& t) {
             const Zones& z = t.zones;
             std::vector<std::string> kinds;
             for (auto k : z.kind) kinds.emplace_back(to_string(k));
             py::dict d;
             d["code"] = z.code;
             d["name"] = z.name;
             d["departement"] = z.departement;
             d["epci_code"] = z.epci_code;
             d["epci_name"] = z.epci_name;
             d["kind"] = kinds;
             d["lat"] = array(z.lat);
             d["lon"] = array(z.lon);
             d["x_km"] = array(z.x_km);
             d["y_km"] = array(z.y_km);
             d["area_km2"] = array(z.area_km2);
             d["population"] = array(z.population);
             d["households"] = array(z.households);
             d["working_age"] = array(z.working_age);
             d["active"] = array(z.active);
             return d;
           })
      .def("roads",
           [](const Territory& t) {
             std::vector<std::uint32_t> a, b;
             std::vector<double> km, minutes;
             for (const auto& r : t.roads)
               a.push_back(r.a), b.push_back(r.b), km.push_back(r.km), minutes.push_back(r.minutes);
             py::dict d;
             d["a"] = array(a);
             d["b"] = array(b);
             d["km"] = array(km);
             d["minutes"] = array(minutes);
             return d;
           })
      .def("road_km", [](const Territory& t) { return Eigen::MatrixXf(t.road_km); })
      .def("road_minutes", [](const Territory& t) { return Eigen::MatrixXf(t.road_minutes); });

  m.def(
      "build_territory",
      [](const Scenario& scenario, int threads) {
        if (threads < 1) throw ConfigurationError("threads must be at least 1, got " + std::to_string(threads));
        py::gil_scoped_release release;
        return std::make_shared<Territory>(make_territory(scenario.spec().territory, threads));
      },
      py::arg("scenario"), py::arg("threads"));
}

}  // namespace coopterra::python
