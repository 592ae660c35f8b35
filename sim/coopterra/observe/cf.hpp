#pragma once
// The results as CF-1.11 metadata (https://cfconventions.org): the last step of describing a
// run, shared by the HDF5 files and the in-memory xarray datasets.
//
// - units parseable by UDUNITS and pint: counts (persons, purchases, firms, seats...) are "1",
//   what they count being said by long_name; "EUR" stays "EUR", a unit UDUNITS lacks, declared by
//   the global attribute `coopterra_units` (docs/results.md shows how pint is told of it);
// - a `time` coordinate along `week`: each week's first day, from run.start_date, with bounds
//   `time_bnds` (the week's first day and the next week's); `week` stays the index;
// - `cell_methods` on every weekly variable: "time: sum" for what accumulates over the week,
//   "time: point" for a state at the end of it, "time: mean" for a ratio of the week's totals;
// - zone latitude and longitude as coordinates of `zone` (`coordinates` attributes);
// - no dimension of size zero: a baseline has no `policy` dimension rather than an empty one.
#include <string>

#include "coopterra/observe/dataset.hpp"

namespace coopterra {

inline constexpr const char* kConventions = "CF-1.11";

// The CF unit of an engine unit: "1" for a count ("person", "firm"...), otherwise itself.
std::string cf_units(const std::string& units);

// Rewrites `d` in place: `start_date` is run.start_date (YYYY-MM-DD); `history` the line kept in
// the global `history` attribute. Throws InvariantError for a weekly variable whose measure over
// the week is not declared (every new weekly indicator must be classed in cf.cpp).
void conform_to_cf(Dataset& d, const std::string& start_date, const std::string& history);

}  // namespace coopterra
