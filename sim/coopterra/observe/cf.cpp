#include "coopterra/observe/cf.hpp"

#include <algorithm>
#include <cstdint>
#include <set>

#include "coopterra/core/calendar.hpp"
#include "coopterra/core/error.hpp"

namespace coopterra {

namespace {

// How each weekly variable is measured over its week (CF cell_methods along time).
// Accumulated over the week: distances, emissions, money flows, purchases, events.
const std::set<std::string> kSums = {
    "vehicle_km_alone",
    "vehicle_km_carpool",
    "passenger_km_carpool",
    "co2e",
    "fares_paid",
    "driver_income",
    "platform_fees",
    "platform_tax",
    "carpool_incentives",
    "vehicle_km_by_zone",
    "vehicle_km",
    "carpool_passenger_trips",
    "fees_kept_in_territory",
    "fees_leaving_territory",
    "purchases",
    "purchase_spending",
    "channel_fees",
    "channel_co2e",
    "purchases_by_zone_kind",
    "purchases_by_income",
    "needs_by_zone_kind",
    "platform_rounds",
    "firm_revenue",
    "firm_failures",
    "firm_entries",
    "firm_market_revenue",
    "barter_volume",
    "market_co2e",
    "co2e_total",
    "money_flow",
    "household_income",
    "household_market_spending",
    "public_spending",
    "policy_spending",
};
// A state of the week (who commutes how, who is aware or a member, stocks at the week's end).
const std::set<std::string> kPoints = {
    "commuters",           "commuters_on_leave",  "informal_drivers",
    "informal_passengers", "informal_unmatched",  "aware",
    "carpool_drivers",     "carpool_passengers",  "carpool_unmatched",
    "carpoolers_by_zone",  "platform_aware",      "platform_users",
    "firms_open",          "firm_cash",           "jobs",
    "barter_members",      "firm_overdrafts",     "platform_treasury",
    "platform_open",       "cooperative_members", "assembly_participants",
    "board_seats",         "authority_equity",    "platform_quality",
    "platform_staff",      "account_balance",
};
// A ratio of the week's totals (shares, concentration, occupancy, multiplier).
const std::set<std::string> kMeans = {
    "carpool_share", "platform_carpool_share", "commuting_occupancy", "cooperative_share",
    "hhi",           "data_sovereignty",       "local_multiplier",    "authority_capital_share",
};

// Units of counts (what they count is said by long_name) and of indices: CF's "1".
const std::set<std::string> kCounts = {"person",    "purchase", "firm",    "round", "seat",
                                       "household", "job",      "utility", "week"};
// Every unit a results file may carry, once counts are "1" (UDUNITS, and EUR: see cf.hpp).
const std::set<std::string> kUnits = {"", "1", "km", "kg", "km2", "EUR", "EUR/km", "degrees_north", "degrees_east"};

}  // namespace

std::string cf_units(const std::string& units) {
  return kCounts.count(units) ? "1" : units;
}

namespace {

void conform_units(Variable& v) {
  v.units = cf_units(v.units);
  if (!kUnits.count(v.units))
    throw InvariantError("results: variable " + v.name + " has unit '" + v.units +
                         "', which observe/cf.cpp does not know as a UDUNITS unit");
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

bool has_dim(const Variable& v, const std::string& dim) {
  return std::find(v.dims.begin(), v.dims.end(), dim) != v.dims.end();
}

}  // namespace

void conform_to_cf(Dataset& d, const std::string& start_date, const std::string& history) {
  const auto start = parse_iso_date(start_date);
  if (!start) throw InvariantError("results: run.start_date '" + start_date + "' is not a date YYYY-MM-DD");

  // No empty dimension: a dimension of size zero, and every variable along it, is left out.
  std::set<std::string> empty;
  for (const auto& c : d.coords)
    if (column_size(c.data) == 0) empty.insert(c.name);
  const auto along_empty = [&](const Variable& v) {
    return std::any_of(v.dims.begin(), v.dims.end(), [&](const std::string& dim) { return empty.count(dim) > 0; });
  };
  d.coords.erase(std::remove_if(d.coords.begin(), d.coords.end(), along_empty), d.coords.end());
  d.variables.erase(std::remove_if(d.variables.begin(), d.variables.end(), along_empty), d.variables.end());

  for (auto& c : d.coords) conform_units(c);
  const auto week_coord =
      std::find_if(d.coords.begin(), d.coords.end(), [](const Variable& c) { return c.name == "week"; });
  const bool weekly = week_coord != d.coords.end();
  for (auto& v : d.variables) {
    conform_units(v);
    std::vector<std::string> coordinates;
    if (has_dim(v, "week")) {
      const char* method = kSums.count(v.name)     ? "time: sum"
                           : kPoints.count(v.name) ? "time: point"
                           : kMeans.count(v.name)  ? "time: mean"
                                                   : nullptr;
      if (!method)
        throw InvariantError("results: weekly variable " + v.name +
                             " is not classed as a sum, a state or a ratio of the week in observe/cf.cpp");
      v.attributes.push_back({"cell_methods", std::string(method)});
      coordinates.push_back("time");
    }
    if (has_dim(v, "zone") && v.name != "zone_lat" && v.name != "zone_lon") {
      coordinates.push_back("zone_lat");
      coordinates.push_back("zone_lon");
    }
    if (v.name == "zone_lat") v.attributes.push_back({"standard_name", std::string("latitude")});
    if (v.name == "zone_lon") v.attributes.push_back({"standard_name", std::string("longitude")});
    if (!coordinates.empty()) v.attributes.push_back({"coordinates", join(coordinates)});
  }
  if (weekly) {
    // The time coordinate: each week's first day, in days since run.start_date, with bounds.
    std::vector<std::int64_t> first_day, bounds;
    for (const std::int64_t week : std::get<std::vector<std::int64_t>>(week_coord->data)) {
      const std::int64_t day = 7 * (week - 1);
      first_day.push_back(day);
      bounds.push_back(day), bounds.push_back(day + 7);
    }
    d.coords.push_back({"nv", {"nv"}, std::vector<std::int64_t>{0, 1}, "", "start and end of an interval"});
    const std::string units = "days since " + start_date;
    d.variables.push_back({"time",
                           {"week"},
                           first_day,
                           units,
                           "first day of the week",
                           {{"standard_name", std::string("time")},
                            {"axis", std::string("T")},
                            {"calendar", std::string("proleptic_gregorian")},
                            {"bounds", std::string("time_bnds")}}});
    d.variables.push_back({"time_bnds", {"week", "nv"}, bounds, units, "first day of the week and of the next"});
  }

  d.attributes.insert(d.attributes.begin(), {"Conventions", std::string(kConventions)});
  d.attributes.push_back({"history", history});
  d.attributes.push_back(
      {"coopterra_units", std::string("units follow UDUNITS-2, counts being '1' (long_name says what is counted), "
                                      "except EUR, the euro, a currency UDUNITS does not define (for pint: "
                                      "'EUR = [currency]')")});
}

}  // namespace coopterra
