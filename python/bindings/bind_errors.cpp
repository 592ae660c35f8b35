// C++ errors become the Python exceptions of the same meaning (coopterra.errors), with their
// located diagnostics.
#include "bindings.hpp"

#include "coopterra/core/error.hpp"

namespace py = pybind11;

namespace coopterra::python {

void register_errors(py::module_& m) {
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      const char* name = "InvariantError";
      switch (e.kind()) {
        case ErrorKind::Configuration: name = "ConfigurationError"; break;
        case ErrorKind::InputData: name = "InputDataError"; break;
        case ErrorKind::IO: name = "CoopterraIOError"; break;
        case ErrorKind::Invariant: name = "InvariantError"; break;
      }
      py::list diagnostics;
      for (const auto& d : e.diagnostics())
        diagnostics.append(py::make_tuple(d.where.file, d.where.line, d.where.column, d.where.key, d.message));
      const py::object cls = py::module_::import("coopterra.errors").attr(name);
      const py::object exc = cls(e.what(), diagnostics);
      PyErr_SetObject(cls.ptr(), exc.ptr());
    }
  });
  m.attr("__errors_registered__") = true;
}

}  // namespace coopterra::python
