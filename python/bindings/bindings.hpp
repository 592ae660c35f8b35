#pragma once
// Each concern registers its own bindings; module.cpp only wires them.
#include <pybind11/pybind11.h>

namespace coopterra::python {
void register_errors(pybind11::module_& m);
void register_scenario(pybind11::module_& m);
void register_simulation(pybind11::module_& m);
void register_territory(pybind11::module_& m);
}  // namespace coopterra::python
