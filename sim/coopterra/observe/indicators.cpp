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
  // Commissions of a platform whose fees leave the territory leave it, but for the tax the
  // authority takes back; commissions of a local platform stay.
  const std::array<bool, kPlatforms> leaves{spec.carpool.cooperative.fees_leave_territory,
                                            spec.carpool.incumbent.fees_leave_territory};
  auto fees = [&](bool leaving) {
    return over_weeks<double>(s, [&](const CarpoolWeek& w) {
      std::int64_t cents = 0;
      for (std::size_t p = 0; p < kPlatforms; ++p) {
        if (leaves[p] && leaving) cents += w.fees_cents[p] - w.tax_cents[p];
        if (leaves[p] && !leaving) cents += w.tax_cents[p];
        if (!leaves[p] && !leaving) cents += w.fees_cents[p];
      }
      return euros(cents);
    });
  };
  v.push_back({"fees_kept_in_territory", W, fees(false), "EUR",
               "commissions of local platforms, plus taxes recovered from platforms whose fees leave"});
  v.push_back({"fees_leaving_territory", W, fees(true), "EUR",
               "commissions of platforms whose fees leave the territory, net of the tax they pay"});
  v.push_back({"carpool_incentives", WP,
               over_weeks_and<double>(s, kPlatforms,
                                      [](const CarpoolWeek& w, std::size_t p) { return euros(w.incentive_cents[p]); }),
               "EUR", "paid by the authority to drivers for passenger trips"});
  v.push_back(
      {"platform_tax", WP,
       over_weeks_and<double>(s, kPlatforms, [](const CarpoolWeek& w, std::size_t p) { return euros(w.tax_cents[p]); }),
       "EUR", "tax paid by platforms on their commissions"});
  v.push_back(
      {"vehicle_km_by_zone", WZ,
       over_weeks_and<double>(s, zones, [](const CarpoolWeek& w, std::size_t z) { return w.vehicle_km_by_zone[z]; }),
       "km", "vehicle-kilometres of car commuters, by home zone"});
  v.push_back({"carpoolers_by_zone", WZ,
               over_weeks_and<std::int64_t>(
                   s, zones, [](const CarpoolWeek& w, std::size_t z) { return w.carpoolers_by_zone[z]; }),
               "person", "matched carpool drivers and passengers, by home zone"});

  // Money: flows by name, balances by account, public spending by policy.
  std::vector<std::string> flow_names, flow_from, flow_to, accounts, policy_labels, policy_kinds;
  for (const auto& f : money_flows()) {
    flow_names.emplace_back(f.name);
    flow_from.emplace_back(to_string(f.from));
    flow_to.emplace_back(to_string(f.to));
  }
  for (std::size_t a = 0; a < kAccounts; ++a) accounts.emplace_back(to_string(static_cast<Account>(a)));
  for (const auto& p : spec.policies) policy_labels.push_back(p.label), policy_kinds.push_back(p.kind);
  d.coords.push_back({"flow", {"flow"}, flow_names, "", "named money flow between two accounts"});
  d.coords.push_back({"account", {"account"}, accounts, "", "account of the territorial economy"});
  d.coords.push_back({"policy", {"policy"}, policy_labels, "", "policy of the scenario's timeline"});
  std::vector<double> money, balances, by_policy, public_spending;
  for (std::size_t w = 0; w < s.weeks(); ++w) {
    for (auto c : s.ledger[w].cents) money.push_back(euros(c));
    for (auto b : s.ledger[w].balance) balances.push_back(euros(b));
    // Public spending: everything that leaves the authority's account (a forked run keeps the
    // spending of the weeks before the fork, whose policies may not be its own).
    std::int64_t spent = 0;
    const auto& flows = money_flows();
    for (std::size_t f = 0; f < flows.size(); ++f)
      if (flows[f].from == Account::Authority) spent += s.ledger[w].cents[f];
    for (auto c : s.policy_cents[w]) by_policy.push_back(euros(c));
    public_spending.push_back(euros(spent));
  }
  v.push_back({"money_flow", {"week", "flow"}, money, "EUR", "money moved by each named flow"});
  v.push_back({"flow_from", {"flow"}, flow_from, "", "account the flow leaves"});
  v.push_back({"flow_to", {"flow"}, flow_to, "", "account the flow reaches"});
  v.push_back({"account_balance",
               {"week", "account"},
               balances,
               "EUR",
               "balance of each account at the end of the week (the authority starts with its budget)"});
  v.push_back({"public_spending", W, public_spending, "EUR", "money the authority spent on its policies"});
  v.push_back({"policy_spending", {"week", "policy"}, by_policy, "EUR", "money the authority spent on each policy"});
  v.push_back({"policy_kind", {"policy"}, policy_kinds, "", "kind of each policy"});

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
