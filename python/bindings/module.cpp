// coopterra._core: the private compiled module. The public API is the typed Python package.
#include "bindings.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "coopterra engine (private: use the coopterra package)";
  coopterra::python::register_errors(m);
  coopterra::python::register_scenario(m);
  coopterra::python::register_territory(m);
  coopterra::python::register_simulation(m);
}
