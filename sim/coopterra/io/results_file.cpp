#include "coopterra/io/results_file.hpp"

#include <fcntl.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <string_view>
#include <utility>

#include "coopterra/core/error.hpp"
#include "coopterra/io/files.hpp"

namespace coopterra {

namespace {

// Owns an HDF5 identifier and closes it on every path: a destructor closes quietly (after an
// error, when an exception is already on its way), close() reports failure.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*closer)(hid_t), const std::string& what) : id_(id), close_(closer) {
    if (id_ < 0) throw IOError("HDF5: cannot " + what);
  }
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, -1)), close_(other.close_) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, -1);
      close_ = other.close_;
    }
    return *this;
  }
  ~Handle() { reset(); }
  // Closes now, reporting failure (a destructor cannot). The id is given up either way.
  void close(const std::string& what) {
    const hid_t id = std::exchange(id_, -1);
    if (id >= 0 && close_(id) < 0) throw IOError("HDF5: cannot " + what);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  operator hid_t() const { return id_; }

 private:
  void reset() noexcept {
    if (id_ >= 0) close_(std::exchange(id_, -1));
  }
  hid_t id_ = -1;
  herr_t (*close_)(hid_t) = nullptr;
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

// An HDF5 file built in memory, never on disk: libhdf5 1.10 cannot survive a failed H5Fclose
// (a full disk makes its final flush fail; the file is destroyed but its id stays registered,
// and the library's exit handler closes it again: a crash in H5F__close_cb at exit). So libhdf5
// writes to memory (the core driver, no backing store), where closing cannot fail for want of
// disk, and write_new_file() below writes the bytes with plain write(2), whose failures are ours
// to report. The core driver hands its buffer to image_free when the file closes: kept here, it
// is the file exactly as libhdf5 closed it (superblock status flags cleared, checksums final).
class MemoryImage {
 public:
  MemoryImage() = default;
  // The memory of a file still open (its close failed) stays libhdf5's: never freed here.
  ~MemoryImage() { std::free(closed_); }
  MemoryImage(const MemoryImage&) = delete;
  MemoryImage& operator=(const MemoryImage&) = delete;

  // Makes files opened with `fapl` (the core driver's) allocate their memory through this image.
  void install(hid_t fapl) {
    H5FD_file_image_callbacks_t callbacks{&allocate, &copy, &resize, &release, &same_udata, &keep_udata, this};
    if (H5Pset_file_image_callbacks(fapl, &callbacks) < 0) throw IOError("HDF5: cannot set the file image callbacks");
  }

  // The bytes of the closed file, up to the end-of-file address its superblock records (the
  // buffer is larger: the core driver allocates by increments).
  std::string_view bytes() const {
    // Superblock version 2 or 3: signature (8 bytes), version, sizes of offsets and lengths,
    // status flags, then base address, extension address and end-of-file address (8 bytes each).
    static constexpr unsigned char kSignature[8] = {0x89, 'H', 'D', 'F', 0x0d, 0x0a, 0x1a, 0x0a};
    const auto* b = static_cast<const unsigned char*>(closed_);
    if (b == nullptr || closed_size_ < 48 || std::memcmp(b, kSignature, 8) != 0 || b[8] < 2 || b[9] != 8)
      throw IOError("HDF5: the file did not close into a complete image");
    std::uint64_t base = 0, eof = 0;
    for (int k = 7; k >= 0; --k) {
      base = base << 8 | b[12 + k];
      eof = eof << 8 | b[28 + k];
    }
    if (base != 0 || eof < 48 || eof > closed_size_) throw IOError("HDF5: the file image has an unexpected end");
    return {static_cast<const char*>(closed_), static_cast<std::size_t>(eof)};
  }

 private:
  static MemoryImage& self(void* udata) { return *static_cast<MemoryImage*>(udata); }
  static void* allocate(std::size_t size, H5FD_file_image_op_t op, void* udata) {
    void* p = std::malloc(size);
    auto& image = self(udata);
    if (p != nullptr && image.live_ == nullptr &&
        (op == H5FD_FILE_IMAGE_OP_FILE_OPEN || op == H5FD_FILE_IMAGE_OP_FILE_RESIZE))
      image.live_ = p, image.size_ = size;
    return p;
  }
  static void* copy(void* to, const void* from, std::size_t size, H5FD_file_image_op_t, void*) {
    return std::memcpy(to, from, size);
  }
  static void* resize(void* p, std::size_t size, H5FD_file_image_op_t, void* udata) {
    void* q = std::realloc(p, size);
    auto& image = self(udata);
    if (q != nullptr && p == image.live_) image.live_ = q, image.size_ = size;
    return q;
  }
  static herr_t release(void* p, H5FD_file_image_op_t op, void* udata) {
    auto& image = self(udata);
    if (p != nullptr && p == image.live_) {
      image.live_ = nullptr;
      if (op == H5FD_FILE_IMAGE_OP_FILE_CLOSE) {
        std::free(image.closed_);
        image.closed_ = p, image.closed_size_ = image.size_;
        return 0;
      }
    }
    std::free(p);
    return 0;
  }
  // Property lists copy and free the callbacks' udata: this object, which they never own.
  static void* same_udata(void* udata) { return udata; }
  static herr_t keep_udata(void*) { return 0; }

  void* live_ = nullptr;  // the open file's memory
  std::size_t size_ = 0;
  void* closed_ = nullptr;  // the memory of the file, once closed
  std::size_t closed_size_ = 0;
};

// Fixed-length UTF-8 strings of `size` bytes (at least 1), padded with NULs: unlike
// variable-length strings (kept in HDF5's global heap, which has no checksum), their bytes sit in
// checksummed object headers (attributes) or in chunks with a Fletcher-32 checksum (datasets).
Handle string_type(std::size_t size) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "create a string type");
  check(H5Tset_size(type, std::max<std::size_t>(size, 1)), "size a string type");
  check(H5Tset_strpad(type, H5T_STR_NULLPAD), "pad a string type");
  check(H5Tset_cset(type, H5T_CSET_UTF8), "encode a string type");
  return type;
}

void attribute_string(hid_t object, const std::string& name, const std::string& value) {
  std::string utf8 = valid_utf8(value);  // a results file holds only valid UTF-8
  const Handle type = string_type(utf8.size());
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar dataspace");
  Handle attr(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "create attribute " + name);
  utf8.resize(std::max<std::size_t>(utf8.size(), 1), '\0');
  check(H5Awrite(attr, type, utf8.data()), "write attribute " + name);
}

template <class T>
void attribute_number(hid_t object, const std::string& name, T value, hid_t type) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar dataspace");
  Handle attr(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "create attribute " + name);
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

// Creates and writes one dataset; returns it open.
Handle write_variable(hid_t file, const Variable& v, const std::vector<hsize_t>& shape) {
  const Handle space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose,
                     "create the dataspace of " + v.name);
  const Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create a dataset property list");
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
  Handle strings;  // the string type, when the variable holds strings
  hid_t type = -1;
  if (std::holds_alternative<std::vector<double>>(v.data))
    type = H5T_NATIVE_DOUBLE;
  else if (std::holds_alternative<std::vector<std::int64_t>>(v.data))
    type = H5T_NATIVE_INT64;
  else if (std::holds_alternative<std::vector<std::uint8_t>>(v.data))
    type = H5T_NATIVE_UINT8;
  else {
    strings = string_type(width);
    type = strings;
  }
  Handle ds(H5Dcreate2(file, v.name.c_str(), type, space, H5P_DEFAULT, plist, H5P_DEFAULT), H5Dclose,
            "create dataset " + v.name);
  herr_t status = 0;
  if (const auto* d = std::get_if<std::vector<double>>(&v.data))
    status = H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, d->data());
  else if (const auto* i = std::get_if<std::vector<std::int64_t>>(&v.data))
    status = H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, i->data());
  else if (const auto* b = std::get_if<std::vector<std::uint8_t>>(&v.data))
    status = H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, b->data());
  else {
    const auto& texts = std::get<std::vector<std::string>>(v.data);
    std::vector<char> buffer(texts.size() * width, '\0');
    for (std::size_t k = 0; k < utf8.size(); ++k) std::copy(utf8[k].begin(), utf8[k].end(), buffer.begin() + k * width);
    status = H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data());
  }
  check(status, "write dataset " + v.name);
  if (is_string) attribute_string(ds, "_Encoding", "utf-8");  // how xarray and netCDF readers decode the bytes
  return ds;
}

// Builds the HDF5 file in `image` (memory only; `name` merely names it). On every path, every
// HDF5 object it opens is closed, the file last, before it returns or throws.
void write_hdf5(const Dataset& d, const std::string& name, MemoryImage& image) {
  const Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "create a file property list");
  // Keep the creation order of variables and attributes, as netCDF-4 files do.
  check(H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "track link order");
  check(H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "track attribute order");
  // The HDF5 1.10 file format: its superblock, object headers and chunk indexes carry checksums,
  // so libhdf5 refuses damaged metadata instead of following it (netCDF-C and h5py read it).
  const Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "create a file access property list");
  check(H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_V110), "choose the file format");
  check(H5Pset_fapl_core(fapl, std::size_t{1} << 20, 0), "build the file in memory");
  // Closing the file closes whatever is still open in it: the file is closed, and its memory
  // handed to `image`, by H5Fclose itself, never later (by the library's exit handler).
  check(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "set the file close degree");
  image.install(fapl);
  Handle file(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, fcpl, fapl), H5Fclose, "create " + name);
  {
    std::vector<Handle> scales;  // open until every variable is attached to them
    for (std::size_t i = 0; i < d.coords.size(); ++i) {
      const auto& c = d.coords[i];
      scales.push_back(write_variable(file, c, {static_cast<hsize_t>(column_size(c.data))}));
      const hid_t ds = scales.back();
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
      const Handle ds = write_variable(file, v, shape);
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
    for (auto& scale : scales) scale.close("close a dimension scale");
  }  // every object closed before the file (on an error too: `file` is destroyed after `scales`)
  file.close("close " + name);
}

// Closes a file descriptor on every path.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

void write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), std::min<std::size_t>(bytes.size(), std::size_t{1} << 30));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw IOError(std::string("cannot write the file: ") + std::strerror(errno), in_file(path));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Writes a new file: the HDF5 bytes, then the trailer that open_results verifies before libhdf5
// reads a byte: the CRC-32 of every byte of the HDF5 file, after its end (libhdf5 and netCDF
// readers ignore bytes past the end of an HDF5 file). It covers what HDF5's own checksums do not
// (dimension-scale references). The file is on disk (fsync'ed) when this returns; a full disk, a
// size limit or an I/O error throws IOError, naming the cause.
void write_new_file(const std::string& path, std::string_view hdf5) {
  Descriptor file{::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)};
  if (file.fd < 0) throw IOError(std::string("cannot create the file: ") + std::strerror(errno), in_file(path));
  uLong crc = crc32(0L, Z_NULL, 0);
  for (std::string_view rest = hdf5; !rest.empty();) {
    const auto n = static_cast<uInt>(std::min<std::size_t>(rest.size(), std::size_t{1} << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(rest.data()), n);
    rest.remove_prefix(n);
  }
  char trailer[64];
  const int n =
      std::snprintf(trailer, sizeof trailer, "%s%08lx\n", kResultsTrailerTag, static_cast<unsigned long>(crc));
  write_all(file.fd, hdf5, path);
  write_all(file.fd, std::string_view(trailer, static_cast<std::size_t>(n)), path);
  if (::fsync(file.fd) != 0) throw IOError(std::string("fsync failed: ") + std::strerror(errno), in_file(path));
  if (::close(std::exchange(file.fd, -1)) != 0)
    throw IOError(std::string("cannot close the file: ") + std::strerror(errno), in_file(path));
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
    {
      MemoryImage image;  // libhdf5 writes to memory only; the disk is written here
      write_hdf5(dataset, temporary.string(), image);
      write_new_file(temporary.string(), image.bytes());
    }
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
