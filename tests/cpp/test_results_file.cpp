// Results files: NetCDF4-style structure, provenance, and crash-safe replacement.
#include <catch2/catch.hpp>

#include <hdf5.h>
#include <hdf5_hl.h>

#include <filesystem>
#include <fstream>

#include "coopterra/core/error.hpp"
#include "coopterra/io/results_file.hpp"
#include "coopterra/simulation.hpp"

using namespace coopterra;
namespace fs = std::filesystem;

namespace {
fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("coopterra-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string read_string_attribute(hid_t object, const char* name) {
  const hid_t attr = H5Aopen(object, name, H5P_DEFAULT);
  REQUIRE(attr >= 0);
  const hid_t type = H5Aget_type(attr);
  // Fixed-length UTF-8 strings (checksummed with their object header), padded with NULs.
  REQUIRE(H5Tis_variable_str(type) == 0);
  CHECK(H5Tget_cset(type) == H5T_CSET_UTF8);
  std::string out(H5Tget_size(type), '\0');
  REQUIRE(H5Aread(attr, type, out.data()) >= 0);
  out.resize(out.find('\0') == std::string::npos ? out.size() : out.find('\0'));
  H5Tclose(type);
  H5Aclose(attr);
  return out;
}
}  // namespace

TEST_CASE("a results file has dimension scales, units and provenance", "[results]") {
  const fs::path dir = fresh_dir("structure");
  Simulation sim(Scenario::defaults().with_overrides({{"territory.residents", "5000", "t"}}), 21, 2);
  sim.run(4);
  const std::string path = (dir / "run.h5").string();
  sim.write_results(path);
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  const hid_t week = H5Dopen2(file, "week", H5P_DEFAULT);
  const hid_t zone = H5Dopen2(file, "zone", H5P_DEFAULT);
  const hid_t vkm = H5Dopen2(file, "vehicle_km_by_zone", H5P_DEFAULT);
  CHECK(H5DSis_scale(week) > 0);
  CHECK(H5DSis_attached(vkm, week, 0) > 0);
  CHECK(H5DSis_attached(vkm, zone, 1) > 0);
  CHECK(read_string_attribute(vkm, "units") == "km");
  CHECK(read_string_attribute(file, "schema") == kResultsSchema);
  CHECK_THAT(read_string_attribute(file, "scenario_resolved"), Catch::Contains("residents = 5000"));
  CHECK(read_string_attribute(file, "territory_checksum") == sim.territory().checksum());
  H5Dclose(week);
  H5Dclose(zone);
  H5Dclose(vkm);
  H5Fclose(file);
  fs::remove_all(dir);
}

TEST_CASE("a failed write leaves the previous file and no temporary behind", "[results]") {
  const fs::path dir = fresh_dir("crash");
  const std::string path = (dir / "run.h5").string();
  Simulation sim(Scenario::defaults().with_overrides({{"territory.residents", "2000", "t"}}), 1, 1);
  sim.run(2);
  sim.write_results(path);
  const auto size = fs::file_size(path);
  Dataset broken = sim.results();
  broken.variables.front().data = std::vector<double>{1.0};  // wrong length: fails mid-write
  CHECK_THROWS_AS(write_results_file(broken, path), InvariantError);
  CHECK(fs::file_size(path) == size);
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++files;
  CHECK(files == 1);
  CHECK_THROWS_AS(write_results_file(sim.results(), (dir / "missing" / "x.h5").string()), IOError);
  fs::remove_all(dir);
}
