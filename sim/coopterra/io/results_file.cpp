#include "coopterra/io/results_file.hpp"

#include <fcntl.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>

#include "coopterra/core/error.hpp"
#include "coopterra/io/files.hpp"

namespace coopterra {

namespace {

// Owns an HDF5 identifier.
class Handle {
 public:
  Handle(hid_t id, herr_t (*closer)(hid_t), const char* what) : id_(id), close_(closer) {
    if (id_ < 0) throw IOError(std::string("HDF5: cannot ") + what);
  }
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  // Closes now, reporting failure (a destructor cannot).
  void close(const std::string& what) {
    const herr_t status = close_(id_);
    id_ = -1;
    if (status < 0) throw IOError("HDF5: cannot " + what);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  operator hid_t() const { return id_; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

void check(herr_t status, const std::string& what) {
  if (status < 0) throw IOError("HDF5: cannot " + what);
}

// Silences HDF5's automatic error printing for the scope; our errors say what failed.
class QuietErrors {
 public:
  QuietErrors() {
    H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

// Fixed-length UTF-8 strings of `size` bytes (at least 1), padded with NULs: unlike
// variable-length strings (kept in HDF5's global heap, which has no checksum), their bytes sit in
// checksummed object headers (attributes) or in chunks with a Fletcher-32 checksum (datasets).
hid_t string_type(std::size_t size) {
  const hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, std::max<std::size_t>(size, 1));
  H5Tset_strpad(t, H5T_STR_NULLPAD);
  H5Tset_cset(t, H5T_CSET_UTF8);
  return t;
}

void attribute_string(hid_t object, const std::string& name, const std::string& value) {
  std::string utf8 = valid_utf8(value);  // a results file holds only valid UTF-8
  Handle type(string_type(utf8.size()), H5Tclose, "create a string type");
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar dataspace");
  Handle attr(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              ("create attribute " + name).c_str());
  utf8.resize(std::max<std::size_t>(utf8.size(), 1), '\0');
  check(H5Awrite(attr, type, utf8.data()), "write attribute " + name);
}

template <class T>
void attribute_number(hid_t object, const std::string& name, T value, hid_t type) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar dataspace");
  Handle attr(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              ("create attribute " + name).c_str());
  check(H5Awrite(attr, type, &value), "write attribute " + name);
}

void write_attribute(hid_t object, const Attribute& a) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>)
          attribute_string(object, a.name, v);
        else if constexpr (std::is_same_v<T, std::int64_t>)
          attribute_number(object, a.name, v, H5T_NATIVE_INT64);
        else
          attribute_number(object, a.name, v, H5T_NATIVE_DOUBLE);
      },
      a.value);
}

// Creates and writes one dataset; returns its open handle id (caller closes).
hid_t write_variable(hid_t file, const Variable& v, const std::vector<hsize_t>& shape) {
  Handle space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose,
               ("create the dataspace of " + v.name).c_str());
  Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create a dataset property list");
  hsize_t count = 1;
  for (auto s : shape) count *= s;
  const bool is_string = std::holds_alternative<std::vector<std::string>>(v.data);
  std::vector<std::string> utf8;  // the strings as written: valid UTF-8, of `width` bytes at most
  std::size_t width = 1;
  if (is_string) {
    for (const auto& text : std::get<std::vector<std::string>>(v.data)) {
      utf8.push_back(valid_utf8(text));
      width = std::max(width, utf8.back().size());
    }
  }
  if (count > 0) {
    // Every numeric dataset is chunked to carry a Fletcher-32 checksum, verified by libhdf5 on
    // every read: a flipped bit is an error, never a changed value.
    check(H5Pset_chunk(plist, static_cast<int>(shape.size()), shape.data()), "chunk " + v.name);
    if (count >= 64) {
      // Moderate compression: zlib level 4 with shuffle (level 9 costs far more time for little gain).
      check(H5Pset_shuffle(plist), "shuffle " + v.name);
      check(H5Pset_deflate(plist, 4), "compress " + v.name);
    }
    check(H5Pset_fletcher32(plist), "checksum " + v.name);
  }
  hid_t type = -1;
  bool own_type = false;
  if (std::holds_alternative<std::vector<double>>(v.data))
    type = H5T_NATIVE_DOUBLE;
  else if (std::holds_alternative<std::vector<std::int64_t>>(v.data))
    type = H5T_NATIVE_INT64;
  else if (std::holds_alternative<std::vector<std::uint8_t>>(v.data))
    type = H5T_NATIVE_UINT8;
  else
    type = string_type(width), own_type = true;
  const hid_t ds = H5Dcreate2(file, v.name.c_str(), type, space, H5P_DEFAULT, plist, H5P_DEFAULT);
  if (ds < 0) {
    if (own_type) H5Tclose(type);
    throw IOError("HDF5: cannot create dataset " + v.name);
  }
  herr_t status = 0;
  if (const auto* d = std::get_if<std::vector<double>>(&v.data))
    status = H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, d->data());
  else if (const auto* i = std::get_if<std::vector<std::int64_t>>(&v.data))
    status = H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, i->data());
  else if (const auto* b = std::get_if<std::vector<std::uint8_t>>(&v.data))
    status = H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, b->data());
  else {
    const auto& strings = std::get<std::vector<std::string>>(v.data);
    std::vector<char> buffer(strings.size() * width, '\0');
    for (std::size_t k = 0; k < utf8.size(); ++k) std::copy(utf8[k].begin(), utf8[k].end(), buffer.begin() + k * width);
    status = H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data());
  }
  if (own_type) H5Tclose(type);
  if (status < 0) {
    H5Dclose(ds);
    throw IOError("HDF5: cannot write dataset " + v.name);
  }
  if (is_string) {
    try {
      attribute_string(ds, "_Encoding", "utf-8");  // how xarray and netCDF readers decode the bytes
    } catch (...) {
      H5Dclose(ds);
      throw;
    }
  }
  return ds;
}

void write_hdf5(const Dataset& d, const std::string& path) {
  Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "create a file property list");
  // Keep the creation order of variables and attributes, as netCDF-4 files do.
  check(H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "track link order");
  check(H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "track attribute order");
  // The HDF5 1.10 file format: its superblock, object headers and chunk indexes carry checksums,
  // so libhdf5 refuses damaged metadata instead of following it (netCDF-C and h5py read it).
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "create a file access property list");
  check(H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_V110), "choose the file format");
  Handle file(H5Fcreate(path.c_str(), H5F_ACC_EXCL, fcpl, fapl), H5Fclose, ("create " + path).c_str());

  std::vector<hid_t> scales;
  struct CloseAll {
    std::vector<hid_t>& ids;
    ~CloseAll() {
      for (auto id : ids) H5Dclose(id);
    }
  } close_scales{scales};
  for (std::size_t i = 0; i < d.coords.size(); ++i) {
    const auto& c = d.coords[i];
    const hid_t ds = write_variable(file, c, {static_cast<hsize_t>(column_size(c.data))});
    scales.push_back(ds);
    check(H5DSset_scale(ds, c.name.c_str()), "make " + c.name + " a dimension scale");
    attribute_number(ds, "_Netcdf4Dimid", static_cast<int>(i), H5T_NATIVE_INT);
    if (!c.units.empty()) attribute_string(ds, "units", c.units);
    if (!c.description.empty()) attribute_string(ds, "long_name", c.description);
    for (const auto& a : c.attributes) write_attribute(ds, a);
  }
  for (const auto& v : d.variables) {
    std::vector<hsize_t> shape;
    for (const auto& dim : v.dims) shape.push_back(static_cast<hsize_t>(d.dim_size(dim)));
    hsize_t count = 1;
    for (auto s : shape) count *= s;
    if (count != column_size(v.data))
      throw InvariantError("results: variable " + v.name + " has " + std::to_string(column_size(v.data)) +
                           " values for a shape of " + std::to_string(count));
    Handle ds(write_variable(file, v, shape), H5Dclose, "write a variable");
    for (std::size_t k = 0; k < v.dims.size(); ++k) {
      std::size_t which = 0;
      while (d.coords[which].name != v.dims[k]) ++which;
      check(H5DSattach_scale(ds, scales[which], static_cast<unsigned>(k)), "attach " + v.dims[k] + " to " + v.name);
    }
    if (!v.units.empty()) attribute_string(ds, "units", v.units);
    if (!v.description.empty()) attribute_string(ds, "long_name", v.description);
    for (const auto& a : v.attributes) write_attribute(ds, a);
  }
  for (const auto& a : d.attributes) write_attribute(file, a);
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + path);
  for (auto id : scales) H5Dclose(id);  // every object closed before the file, so it closes now
  scales.clear();
  file.close("close " + path);
}

// Appends the trailer that open_results verifies before libhdf5 reads a byte: the CRC-32 of
// every byte of the HDF5 file, after its end (libhdf5 and netCDF readers ignore bytes past the
// end of an HDF5 file). It covers what HDF5's own checksums do not (dimension-scale references).
void append_checksum(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError("cannot reopen the file to checksum it", in_file(path));
  uLong crc = crc32(0L, Z_NULL, 0);
  std::vector<char> buffer(1 << 16);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0)
    crc = crc32(crc, reinterpret_cast<const Bytef*>(buffer.data()), static_cast<uInt>(in.gcount()));
  in.close();
  char trailer[64];
  const int n =
      std::snprintf(trailer, sizeof trailer, "%s%08lx\n", kResultsTrailerTag, static_cast<unsigned long>(crc));
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out.write(trailer, n);
  out.close();
  if (!out) throw IOError("cannot write the checksum", in_file(path));
}

void fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) throw IOError(std::string("cannot open for fsync: ") + std::strerror(errno), in_file(path));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw IOError(std::string("fsync failed: ") + std::strerror(errno), in_file(path));
}

}  // namespace

void write_results_file(const Dataset& dataset, const std::string& path) {
  // One writer at a time within the engine (ensembles write from several threads). h5py may
  // call libhdf5 from other threads too: Debian's libhdf5 is built thread-safe
  // (hdf5_is_threadsafe() says so at run time, and a test checks it).
  static std::mutex writers;
  const std::lock_guard<std::mutex> lock(writers);
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) throw IOError("the folder of the results file does not exist", in_file(path));
  std::random_device entropy;
  const fs::path temporary = folder / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                                       std::to_string(entropy()));
  QuietErrors quiet;
  try {
    write_hdf5(dataset, temporary.string());
    append_checksum(temporary.string());
    fsync_path(temporary.string(), O_RDONLY);
    fs::rename(temporary, target);
    fsync_path(folder.string(), O_RDONLY | O_DIRECTORY);
  } catch (const IOError& e) {
    fs::remove(temporary, ec);
    throw IOError(e.diagnostics().front().message, in_file(path));
  } catch (const fs::filesystem_error& e) {
    fs::remove(temporary, ec);
    throw IOError(e.what(), in_file(path));
  } catch (...) {
    fs::remove(temporary, ec);
    throw;
  }
}

bool hdf5_is_threadsafe() {
  hbool_t threadsafe = 0;
  H5is_library_threadsafe(&threadsafe);
  return threadsafe != 0;
}

std::string hdf5_version() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release);
}

}  // namespace coopterra
