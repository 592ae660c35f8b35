#pragma once
// Results files: one HDF5 file per run, NetCDF4-compatible (dimension scales, coordinate
// variables, units and descriptions as attributes), so that xarray (engine="h5netcdf") and plain
// h5py read it. Written crash-safely: to a temporary file in the same folder, flushed to disk,
// then renamed into place, so a reader sees the previous complete file or the new one, never a
// half-written one. See docs/results.md.
//
// libhdf5 is not thread-safe: call this with the Python GIL held (the bindings do), never from a
// thread that released it while Python may be using h5py.
#include <string>

#include "coopterra/observe/dataset.hpp"

namespace coopterra {

inline constexpr const char* kResultsSchema = "coopterra-results/1";

// Throws IOError on failure, leaving no file behind (and any previous file at `path` intact).
void write_results_file(const Dataset& dataset, const std::string& path);

// The version of the libhdf5 this engine is linked with, e.g. "1.10.8".
std::string hdf5_version();

}  // namespace coopterra
