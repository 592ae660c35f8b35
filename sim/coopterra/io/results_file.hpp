#pragma once
// Results files: one HDF5 file per run, NetCDF4-compatible (dimension scales, coordinate
// variables, units and descriptions as attributes), so that xarray (engine="h5netcdf") and plain
// h5py read it. Written crash-safely: to a temporary file in the same folder, flushed to disk,
// then renamed into place, so a reader sees the previous complete file or the new one, never a
// half-written one. See docs/results.md.
//
// Writes are serialized within the engine. The bindings call it with the GIL held; since h5py
// releases the GIL inside libhdf5 calls, sharing libhdf5 with h5py across threads also needs a
// thread-safe libhdf5, which Debian's is (hdf5_is_threadsafe()).
#include <string>

#include "coopterra/observe/dataset.hpp"

namespace coopterra {

inline constexpr const char* kResultsSchema = "coopterra-results/1";
// After the HDF5 bytes, a results file ends with this tag, the CRC-32 of every byte before it in
// 8 hex digits, and a newline: open_results verifies it before handing the file to libhdf5.
inline constexpr const char* kResultsTrailerTag = "\ncoopterra-crc32:";

// Throws IOError on failure, leaving no file behind (and any previous file at `path` intact).
void write_results_file(const Dataset& dataset, const std::string& path);

// Whether the linked libhdf5 was built thread-safe.
bool hdf5_is_threadsafe();

// The version of the libhdf5 this engine is linked with, e.g. "1.10.8".
std::string hdf5_version();

}  // namespace coopterra
