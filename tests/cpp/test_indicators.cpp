// The description of results (observe/indicators.cpp) and the weekly records' field lists
// (core/fields.hpp) it reads: every field marked as a result is a variable over (week, its
// dimensions) holding the field's values, and a record read back from its bytes is the record.
#include <catch2/catch.hpp>
#include <variant>

#include "coopterra/core/bytes.hpp"
#include "coopterra/core/error.hpp"
#include "coopterra/observe/cf.hpp"
#include "coopterra/simulation.hpp"
#include "helpers.hpp"

using namespace coopterra;
using namespace coopterra::test;

namespace {

const Variable& variable(const Dataset& d, const std::string& name) {
  for (const auto& v : d.variables)
    if (v.name == name) return v;
  FAIL("no variable " << name);
  return d.variables.front();
}

// Every value of a field, as doubles, in order.
template <class T>
void values(const T& v, std::vector<double>& out) {
  if constexpr (std::is_arithmetic_v<T>) {
    out.push_back(static_cast<double>(v));
  } else {
    for (const auto& x : v) values(x, out);
  }
}

// Each result field of the record's list is a variable whose last week holds the field's values.
template <class Record>
int check_results(const Dataset& d, const std::vector<Record>& weeks) {
  int checked = 0;
  Record::fields(
      [&](const Field& f, const auto& member) {
        if (!f.result) return;
        INFO(f.name);
        const Variable& v = variable(d, f.result);
        std::vector<std::string> dims{"week"};
        for (const auto& x : field_dims(f.dim)) dims.push_back(x);
        CHECK(v.dims == dims);
        CHECK(v.units == cf_units(f.units));
        CHECK(v.description == f.description);
        std::vector<double> expected;
        values(member, expected);
        std::vector<double> got;
        std::visit([&](const auto& column) { values(column, got); }, v.data);
        REQUIRE(got.size() == expected.size() * weeks.size());
        for (std::size_t i = 0; i < expected.size(); ++i)
          CHECK(got[got.size() - expected.size() + i] == expected[i] / f.divisor);
        ++checked;
      },
      weeks.back());
  return checked;
}

template <class Record>
Record round_trip(const Record& r, const FieldSizes& sizes) {
  Writer w;
  write_fields(w, r);
  const std::string bytes = w.take();
  Reader reader(bytes);
  return read_fields<Record>(reader, sizes);
}

}  // namespace

TEST_CASE("every result field of the weekly records is a variable of the results, with its values", "[indicators]") {
  Simulation sim(scenario(""), 2, 2);
  sim.run(3);
  const Dataset d = sim.results();
  const Series& s = sim.series();
  CHECK(check_results(d, s.carpool) == 20);
  CHECK(check_results(d, s.markets) == 10);
  CHECK(check_results(d, s.economy) == 18);
  CHECK(check_results(d, s.ledger) == 4);
  // Results of their own beside the field lists' (derived from several fields) stay.
  for (const char* name : {"vehicle_km", "fees_kept_in_territory", "authority_capital_share", "local_multiplier"})
    CHECK_NOTHROW(variable(d, name));
}

TEST_CASE("a weekly record written by its field list reads back equal; a wrong size names the field",
          "[indicators][checkpoint]") {
  Simulation sim(scenario(""), 2, 1);
  sim.run(2);
  const CarpoolWeek& c = sim.series().carpool.back();
  const std::size_t zones = c.vehicle_km_by_zone.size();
  FieldSizes sizes;
  sizes[Dim::Zone] = zones, sizes[Dim::Mode] = c.choosing.size(), sizes[Dim::CarpoolPlatform] = c.aware.size();
  sizes[Dim::CarpoolPlatformZone] = c.passengers_by_zone.size();
  const CarpoolWeek back = round_trip(c, sizes);
  CHECK(back.vehicle_km_alone == c.vehicle_km_alone);
  CHECK(back.choosing == c.choosing);
  CHECK(back.incentive_cents == c.incentive_cents);
  CHECK(back.households_net_cents == c.households_net_cents);
  CHECK(back.vehicle_km_by_zone == c.vehicle_km_by_zone);
  CHECK(back.passengers_by_zone == c.passengers_by_zone);
  sizes[Dim::Zone] = zones + 1;
  CHECK_THROWS_WITH(round_trip(c, sizes), Catch::Contains("vehicle_km_by_zone") && Catch::Contains("truncated"));
  // The per-thread merge adds every field.
  CarpoolWeek twice = c;
  add_fields(twice, c);
  CHECK(twice.fares_paid_cents[0] == 2 * c.fares_paid_cents[0]);
  CHECK(twice.households_net_cents == 2 * c.households_net_cents);
  for (std::size_t z = 0; z < zones; ++z) {
    CHECK(twice.vehicle_km_by_zone[z] == c.vehicle_km_by_zone[z] + c.vehicle_km_by_zone[z]);
    CHECK(twice.passengers_by_zone[z] == 2 * c.passengers_by_zone[z]);
  }
}
