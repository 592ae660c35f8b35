#pragma once
// A labelled dataset: coordinates, variables over named dimensions, and attributes. The engine
// describes its results once, as a Dataset; the HDF5 writer and the Python layer (xarray) both
// read that description, so a new indicator appears in both by being added in one place.
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace coopterra {

// Bytes (std::uint8_t) are for large per-resident snapshots: codes and flags, a byte each.
using Column =
    std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::string>, std::vector<std::uint8_t>>;

struct Attribute {
  std::string name;
  std::variant<std::string, std::int64_t, double> value;
};

struct Variable {
  std::string name;
  std::vector<std::string> dims;  // each the name of a coordinate
  Column data;                    // row-major over dims
  std::string units;
  std::string description;
  std::vector<Attribute> attributes = {};  // further attributes (CF: standard_name, cell_methods...)
};

struct Dataset {
  std::vector<Variable> coords;  // one-dimensional, each along the dimension of its own name
  std::vector<Variable> variables;
  std::vector<Attribute> attributes;

  std::size_t dim_size(const std::string& dim) const;
};

std::size_t column_size(const Column& c);

}  // namespace coopterra
