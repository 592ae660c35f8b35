#include "coopterra/observe/indicators.hpp"

namespace coopterra {

namespace {

template <class T, class F>
std::vector<T> over_weeks(const Series& s, F&& f) {
  std::vector<T> out;
  out.reserve(s.weeks());
  for (const auto& w : s.carpool) out.push_back(f(w));
  return out;
}

// Flattens a per-week array (platforms, modes or zones) row-major over (week, item).
template <class T, class F>
std::vector<T> over_weeks_and(const Series& s, std::size_t items, F&& f) {
  std::vector<T> out;
  out.reserve(s.weeks() * items);
  for (const auto& w : s.carpool)
    for (std::size_t i = 0; i < items; ++i) out.push_back(f(w, i));
  return out;
}

double euros(std::int64_t cents) {
  return static_cast<double>(cents) / 100.0;
}

}  // namespace

Dataset describe(const Series& s, const Territory& t, const Spec& spec) {
  Dataset d;
  const std::size_t zones = t.zones.size();
  std::vector<std::int64_t> weeks(s.weeks());
  for (std::size_t i = 0; i < weeks.size(); ++i) weeks[i] = static_cast<std::int64_t>(i + 1);
  d.coords = {
      {"week", {"week"}, weeks, "week", "simulated week, 1 being the first"},
      {"mode",
       {"mode"},
       std::vector<std::string>{"drive_alone", "carpool_cooperative", "carpool_incumbent"},
       "",
       "commuting mode of a car commuter"},
      {"platform", {"platform"}, std::vector<std::string>{"cooperative", "incumbent"}, "", "carpool platform"},
      {"zone", {"zone"}, t.zones.code, "", "commune code"},
  };
  const std::vector<std::string> W{"week"}, WP{"week", "platform"}, WM{"week", "mode"}, WZ{"week", "zone"};
  auto& v = d.variables;
  v.push_back({"vehicle_km", W,
               over_weeks<double>(s, [](const CarpoolWeek& w) { return w.vehicle_km_alone + w.vehicle_km_carpool; }),
               "km", "vehicle-kilometres driven by car commuters"});
  v.push_back({"vehicle_km_alone", W, over_weeks<double>(s, [](const CarpoolWeek& w) { return w.vehicle_km_alone; }),
               "km", "vehicle-kilometres of car commuters driving alone (unmatched carpoolers included)"});
  v.push_back({"vehicle_km_carpool", W,
               over_weeks<double>(s, [](const CarpoolWeek& w) { return w.vehicle_km_carpool; }), "km",
               "vehicle-kilometres of carpool drivers, pick-up detours included"});
  v.push_back({"passenger_km_carpool", W,
               over_weeks<double>(s, [](const CarpoolWeek& w) { return w.passenger_km_carpool; }), "km",
               "kilometres travelled as carpool passengers"});
  v.push_back({"co2e", W, over_weeks<double>(s, [](const CarpoolWeek& w) { return w.co2e_kg; }), "kg",
               "CO2-equivalent emissions of commuting cars, construction included (ADEME factors)"});
  v.push_back(
      {"commuters", WM,
       over_weeks_and<std::int64_t>(s, kModes, [](const CarpoolWeek& w, std::size_t m) { return w.choosing[m]; }),
       "person", "car commuters choosing each mode"});
  v.push_back(
      {"aware", WP,
       over_weeks_and<std::int64_t>(s, kPlatforms, [](const CarpoolWeek& w, std::size_t p) { return w.aware[p]; }),
       "person", "residents aware of each platform"});
  v.push_back(
      {"carpool_drivers", WP,
       over_weeks_and<std::int64_t>(s, kPlatforms, [](const CarpoolWeek& w, std::size_t p) { return w.drivers[p]; }),
       "person", "matched carpool drivers"});
  v.push_back(
      {"carpool_passengers", WP,
       over_weeks_and<std::int64_t>(s, kPlatforms, [](const CarpoolWeek& w, std::size_t p) { return w.passengers[p]; }),
       "person", "matched carpool passengers"});
  v.push_back(
      {"carpool_unmatched", WP,
       over_weeks_and<std::int64_t>(s, kPlatforms, [](const CarpoolWeek& w, std::size_t p) { return w.unmatched[p]; }),
       "person", "commuters who chose the platform but found no match and drove alone"});
  v.push_back({"fares_paid", WP,
               over_weeks_and<double>(s, kPlatforms,
                                      [](const CarpoolWeek& w, std::size_t p) { return euros(w.fares_paid_cents[p]); }),
               "EUR", "paid by passengers, commission included"});
  v.push_back({"driver_income", WP,
               over_weeks_and<double>(
                   s, kPlatforms, [](const CarpoolWeek& w, std::size_t p) { return euros(w.driver_income_cents[p]); }),
               "EUR", "fares received by drivers"});
  v.push_back({"platform_fees", WP,
               over_weeks_and<double>(s, kPlatforms,
                                      [](const CarpoolWeek& w, std::size_t p) { return euros(w.fees_cents[p]); }),
               "EUR", "commissions kept by the platforms"});
  const bool coop_leaves = spec.carpool.cooperative.fees_leave_territory;
  const bool incumbent_leaves = spec.carpool.incumbent.fees_leave_territory;
  auto fees = [&](bool leaving) {
    return over_weeks<double>(s, [&](const CarpoolWeek& w) {
      return euros((coop_leaves == leaving ? w.fees_cents[0] : 0) +
                   (incumbent_leaves == leaving ? w.fees_cents[1] : 0));
    });
  };
  v.push_back({"fees_kept_in_territory", W, fees(false), "EUR", "platform fees that stay in the territory"});
  v.push_back({"fees_leaving_territory", W, fees(true), "EUR", "platform fees that leave the territory"});
  v.push_back(
      {"vehicle_km_by_zone", WZ,
       over_weeks_and<double>(s, zones, [](const CarpoolWeek& w, std::size_t z) { return w.vehicle_km_by_zone[z]; }),
       "km", "vehicle-kilometres of car commuters, by home zone"});
  v.push_back({"carpoolers_by_zone", WZ,
               over_weeks_and<std::int64_t>(
                   s, zones, [](const CarpoolWeek& w, std::size_t z) { return w.carpoolers_by_zone[z]; }),
               "person", "matched carpool drivers and passengers, by home zone"});

  std::vector<std::string> kinds;
  for (auto k : t.zones.kind) kinds.emplace_back(to_string(k));
  v.push_back({"zone_name", {"zone"}, t.zones.name, "", "name of the commune"});
  v.push_back({"zone_kind", {"zone"}, kinds, "", "urban core, periurban or rural"});
  v.push_back({"zone_departement", {"zone"}, t.zones.departement, "", "departement code"});
  v.push_back({"zone_epci", {"zone"}, t.zones.epci_code, "", "intercommunality (EPCI SIREN code)"});
  v.push_back({"zone_area_km2", {"zone"}, t.zones.area_km2, "km2", "area of the commune"});
  v.push_back(
      {"zone_households", {"zone"}, t.zones.households, "household", "households of the commune (-1: unknown)"});
  v.push_back({"zone_population", {"zone"}, t.zones.population, "person", "residents of the commune"});
  v.push_back({"zone_lat", {"zone"}, t.zones.lat, "degrees_north", "latitude of the commune"});
  v.push_back({"zone_lon", {"zone"}, t.zones.lon, "degrees_east", "longitude of the commune"});
  v.push_back({"platform_name",
               {"platform"},
               std::vector<std::string>{spec.carpool.cooperative.name, spec.carpool.incumbent.name},
               "",
               "label of the platform"});
  v.push_back({"platform_commission",
               {"platform"},
               std::vector<double>{spec.carpool.cooperative.commission, spec.carpool.incumbent.commission},
               "1",
               "commission on the fare"});
  return d;
}

}  // namespace coopterra
