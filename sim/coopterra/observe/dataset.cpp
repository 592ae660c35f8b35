#include "coopterra/observe/dataset.hpp"

#include "coopterra/core/error.hpp"

namespace coopterra {

std::size_t column_size(const Column& c) {
  return std::visit([](const auto& v) { return v.size(); }, c);
}

std::size_t Dataset::dim_size(const std::string& dim) const {
  for (const auto& c : coords)
    if (c.name == dim) return column_size(c.data);
  throw InvariantError("dataset: no coordinate for dimension '" + dim + "'");
}

}  // namespace coopterra
