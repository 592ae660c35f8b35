#include "coopterra/observe/indicators.hpp"

#include "coopterra/core/error.hpp"

#include <cmath>
#include <type_traits>
#include <utility>
#include <variant>

namespace coopterra {

namespace {

template <class T, class F>
std::vector<T> over_weeks(const Series& s, F&& f) {
  std::vector<T> out;
  out.reserve(s.weeks());
  for (const auto& w : s.carpool) out.push_back(f(w));
  return out;
}

double euros(std::int64_t cents) {
  return static_cast<double>(cents) / 100.0;
}

// Every value of a field, in order (a number, or the elements of its array or vector).
template <class T, class F>
void each_value(const T& v, F&& f) {
  if constexpr (std::is_arithmetic_v<T>) {
    f(v);
  } else {
    for (const auto& x : v) each_value(x, f);
  }
}

template <class T>
struct element {
  using type = typename element<typename T::value_type>::type;
};
template <class T>
requires std::is_arithmetic_v<T>
struct element<T> {
  using type = T;
};
template <class T>
using element_t = typename element<T>::type;

// The results' variables of a weekly record: one per field of its list (core/fields.hpp) that is a
// result, over (week, the field's dimensions), values divided by the field's divisor.
template <class Record>
void describe_fields(std::vector<Variable>& out, const std::vector<Record>& weeks) {
  std::vector<Variable> vars;
  const Record empty{};
  // The list's results, with a column of the field's type (integers stay integers unless divided).
  Record::fields(
      [&](const Field& f, const auto& v) {
        using T = std::remove_cvref_t<decltype(v)>;
        const bool integer = std::is_integral_v<element_t<T>>;
        std::vector<std::string> dims{"week"};
        for (auto& d : field_dims(f.dim)) dims.push_back(std::move(d));
        Column data = integer && f.divisor == 1 ? Column{std::vector<std::int64_t>{}} : Column{std::vector<double>{}};
        vars.push_back({f.result ? f.result : "", std::move(dims), std::move(data), f.units, f.description});
      },
      empty);
  for (const Record& w : weeks) {
    std::size_t k = 0;
    Record::fields(
        [&](const Field& f, const auto& v) {
          std::visit(
              [&](auto& column) {
                using C = typename std::remove_reference_t<decltype(column)>::value_type;
                if constexpr (std::is_same_v<C, std::int64_t>) {
                  each_value(v, [&](auto x) { column.push_back(static_cast<std::int64_t>(x)); });
                } else if constexpr (std::is_same_v<C, double>) {
                  if (f.divisor == 1)
                    each_value(v, [&](auto x) { column.push_back(static_cast<double>(x)); });
                  else
                    each_value(v, [&](auto x) { column.push_back(static_cast<double>(x) / f.divisor); });
                }
              },
              vars[k++].data);
        },
        w);
  }
  for (auto& v : vars)
    if (!v.name.empty()) out.push_back(std::move(v));
}

// Flattens a per-week vector of a market or economy week, row-major over (week, item).
template <class T, class Weeks, class F>
std::vector<T> flat(const Weeks& weeks, F&& f) {
  std::vector<T> out;
  for (const auto& w : weeks)
    for (auto x : f(w)) out.push_back(static_cast<T>(x));
  return out;
}

// The six markets, firms, barter, platforms and cooperatives' governance.
void describe_markets(Dataset& d, const Series& s, const Spec& spec, const std::vector<PlatformInfo>& platforms,
                      const std::vector<Channel>& channels) {
  const std::size_t nc = channels.size(), np = platforms.size();
  std::vector<std::string> markets, channel_names, channel_market, channel_kind, platform_names, platform_sector;
  std::vector<std::int64_t> platform_coop;
  for (std::size_t m = 0; m < kMarkets; ++m) markets.emplace_back(market_key(m));
  const char* kinds[] = {"offline", "cooperative", "incumbent", "alternative"};
  for (const auto& c : channels) {
    channel_names.push_back(c.name);
    channel_market.emplace_back(market_key(c.market));
    channel_kind.emplace_back(kinds[c.kind]);
  }
  for (const auto& p : platforms) {
    platform_names.push_back(p.sector + ": " + p.name);
    platform_sector.push_back(p.sector);
    platform_coop.push_back(p.cooperative ? 1 : 0);
  }
  std::vector<std::string> sectors, zone_kinds{"urban_core", "periurban", "rural"};
  for (std::size_t k = 0; k < kSectors; ++k) sectors.emplace_back(to_string(static_cast<Sector>(k)));
  d.coords.push_back({"market", {"market"}, markets, "", "market of residents beside carpooling"});
  d.coords.push_back(
      {"channel", {"channel"}, channel_names, "", "channel of a market: offline, a platform, or the alternative"});
  d.coords.push_back(
      {"market_platform", {"market_platform"}, platform_names, "", "platform of a market, of barter or of carpooling"});
  d.coords.push_back({"college",
                      {"college"},
                      std::vector<std::string>{"workers", "users", "producers", "local_authorities", "supporters"},
                      "",
                      "college of a cooperative's members"});
  d.coords.push_back({"commune_kind", {"commune_kind"}, zone_kinds, "", "kind of commune"});
  d.coords.push_back({"income_group",
                      {"income_group"},
                      std::vector<std::string>{"q1", "q2", "q3", "q4", "q5"},
                      "",
                      "income quintile of residents (q1: lowest)"});
  d.coords.push_back({"firm_sector", {"firm_sector"}, sectors, "", "sector of firms"});
  const std::vector<std::string> WP{"week", "market_platform"}, WM{"week", "market"}, W{"week"};
  auto& v = d.variables;
  const auto& M = s.markets;
  const auto& E = s.economy;
  v.push_back({"channel_market", {"channel"}, channel_market, "", "market of the channel"});
  v.push_back({"channel_kind", {"channel"}, channel_kind, "", "offline, cooperative, incumbent or alternative"});
  v.push_back({"market_platform_sector",
               {"market_platform"},
               platform_sector,
               "",
               "market of the platform, barter or carpool"});
  v.push_back({"market_platform_cooperative", {"market_platform"}, platform_coop, "1", "1 for a cooperative"});
  // The markets', firms' and platforms' weekly fields (their field lists), then what derives from them.
  describe_fields(v, M);
  describe_fields(v, E);
  // Per market: emissions, cooperatives' share of platform purchases, concentration.
  std::vector<double> market_co2e, coop_share, hhi, total_co2e, sovereignty, lm3;
  // Carpooling's platforms, in the carpool model's order (last in the list of platforms): whether
  // each is a cooperative, whatever their number and order in [[carpool.platforms]].
  std::vector<bool> carpool_coop;
  for (const auto& p : platforms)
    if (p.sector == "carpool") carpool_coop.push_back(p.cooperative);
  for (std::size_t w = 0; w < M.size(); ++w) {
    const MarketWeek& mw = M[w];
    double all = s.carpool[w].co2e_kg;
    const auto& passengers = s.carpool[w].passengers;
    ensure(passengers.size() == carpool_coop.size(), "indicators: carpool passengers for another platform list");
    std::int64_t coop_all = 0, platform_all = 0;
    for (std::size_t p = 0; p < passengers.size(); ++p) {
      platform_all += passengers[p];
      if (carpool_coop[p]) coop_all += passengers[p];
    }
    for (std::size_t m = 0; m < kMarkets; ++m) {
      double kg = 0, coop = 0, via = 0, total = 0;
      for (std::size_t c = 0; c < nc; ++c) {
        if (channels[c].market != m) continue;
        kg += static_cast<double>(mw.co2e_grams[c]) / 1000.0;
        total += static_cast<double>(mw.purchases[c]);
        if (channels[c].kind == Channel::Cooperative) coop += static_cast<double>(mw.purchases[c]);
        if (channels[c].kind == Channel::Cooperative || channels[c].kind == Channel::Incumbent)
          via += static_cast<double>(mw.purchases[c]);
      }
      double h = 0;
      for (std::size_t c = 0; c < nc; ++c)
        if (channels[c].market == m && total > 0) h += std::pow(static_cast<double>(mw.purchases[c]) / total, 2);
      market_co2e.push_back(kg);
      coop_share.push_back(via > 0 ? coop / via : 0.0);
      hhi.push_back(h * 10000.0);
      all += kg;
      coop_all += static_cast<std::int64_t>(coop), platform_all += static_cast<std::int64_t>(via);
    }
    total_co2e.push_back(all);
    sovereignty.push_back(platform_all > 0 ? static_cast<double>(coop_all) / static_cast<double>(platform_all) : 0.0);
    // LM3: first round, what residents and procurement spend; second, what local agents receive;
    // third, what they spend again locally.
    const EconomyWeek& ew = E[w];
    double r1 = 0, r2 = 0, household_income = 0;
    for (std::size_t c = 0; c < nc; ++c) {
      const Channel& ch = channels[c];
      const double procured = euros(ew.flows.procurement_seller[c] + ew.flows.procurement_fees[c]);
      r1 += euros(mw.paid_cents[c]) + procured;
      const bool local_seller = static_cast<std::uint8_t>(ch.seller) < kSectors || ch.seller == Seller::Households;
      if (local_seller) r2 += euros(mw.seller_cents[c] + ew.flows.procurement_seller[c]);
      if (ch.seller == Seller::Households)
        household_income += euros(mw.seller_cents[c] + ew.flows.procurement_seller[c]);
      if (ch.platform < np && !platforms[ch.platform].spec->fees_leave_territory)
        r2 += euros(mw.fee_cents[c] + ew.flows.procurement_fees[c]);
    }
    const double r3 = euros(ew.local_spending_cents) + spec.markets.household_local_spend_share * household_income;
    lm3.push_back(r1 > 0 ? (r1 + r2 + r3) / r1 : 0.0);
  }
  v.push_back({"market_co2e", WM, market_co2e, "kg", "CO2e of each market (sum of its channels)"});
  v.push_back({"co2e_total", W, total_co2e, "kg", "CO2e of commuting and of the six markets"});
  v.push_back({"cooperative_share", WM, coop_share, "1",
               "share of a market's platform purchases made through cooperatives (activity under democratic, "
               "local control)"});
  v.push_back({"hhi", WM, hhi, "1",
               "Herfindahl-Hirschman index of a market's channels (purchase shares, 0-10000; offline counted as one)"});
  v.push_back({"data_sovereignty", W, sovereignty, "1",
               "share of platform transactions (carpool passengers and the markets' purchases) whose data stays with a "
               "cooperative"});
  v.push_back({"local_multiplier", W, lm3, "1",
               "LM3 of the residents' and the authority's spending in the markets: (R1 + R2 + R3) / R1 (New Economics "
               "Foundation)"});
  // Platforms.
  v.push_back({"authority_capital_share", WP,
               flat<double>(E,
                            [](const EconomyWeek& w) {
                              std::vector<double> out;
                              for (std::size_t q = 0; q < w.capital_cents.size(); ++q) {
                                const auto total = w.capital_cents[q] + w.authority_equity_cents[q];
                                out.push_back(total > 0 ? static_cast<double>(w.authority_equity_cents[q]) /
                                                              static_cast<double>(total)
                                                        : 0.0);
                              }
                              return out;
                            }),
               "1", "share of the platform's capital held by the authority (at most 0.5 in a SCIC)"});
}

}  // namespace

Dataset describe(const Series& s, const Territory& t, const Spec& spec, const std::vector<PlatformInfo>& platforms,
                 const std::vector<Channel>& channels, const Books& books) {
  Dataset d;
  std::vector<std::int64_t> weeks(s.weeks());
  std::vector<std::string> modes{"drive_alone"}, carpool_keys;
  for (const auto& c : carpool_platform_list(spec.carpool))
    modes.push_back("carpool_" + c.key), carpool_keys.push_back(c.key);
  modes.emplace_back("carpool_informal");
  for (std::size_t i = 0; i < weeks.size(); ++i) weeks[i] = static_cast<std::int64_t>(i + 1);
  d.coords = {
      {"week", {"week"}, weeks, "week", "simulated week, 1 being the first"},
      {"mode", {"mode"}, modes, "", "commuting mode of a car commuter"},
      {"platform", {"platform"}, carpool_keys, "", "carpool platform (its key in the scenario)"},
      {"zone", {"zone"}, t.zones.code, "", "commune code"},
  };
  const std::vector<std::string> W{"week"};
  auto& v = d.variables;
  describe_fields(v, s.carpool);  // carpooling's weekly fields (its field list), then what derives from them
  v.push_back({"vehicle_km", W,
               over_weeks<double>(s, [](const CarpoolWeek& w) { return w.vehicle_km_alone + w.vehicle_km_carpool; }),
               "km", "vehicle-kilometres driven by car commuters"});
  // Carpooling as the surveys count it: car commuters at work who share a car, through a platform
  // or not, and the car occupancy of commuting.
  std::vector<double> share, platform_share, occupancy, passenger_trips;
  const double trips = 2.0 * static_cast<double>(spec.carpool.workdays_per_week);
  for (const CarpoolWeek& w : s.carpool) {
    std::int64_t commuting = 0, platform = 0, passengers = w.informal_passengers;
    for (auto c : w.choosing) commuting += c;
    for (std::size_t p = 0; p < w.drivers.size(); ++p)
      platform += w.drivers[p] + w.passengers[p], passengers += w.passengers[p];
    const std::int64_t carpooling = platform + w.informal_drivers + w.informal_passengers;
    share.push_back(commuting ? static_cast<double>(carpooling) / static_cast<double>(commuting) : 0.0);
    platform_share.push_back(carpooling ? static_cast<double>(platform) / static_cast<double>(carpooling) : 0.0);
    occupancy.push_back(commuting ? static_cast<double>(commuting) / static_cast<double>(commuting - passengers) : 0.0);
    std::int64_t platform_passengers = 0;
    for (auto p : w.passengers) platform_passengers += p;
    passenger_trips.push_back(static_cast<double>(platform_passengers) * trips);
  }
  v.push_back({"carpool_share", W, share, "1",
               "share of the car commuters at work this week who carpool, through a platform or not"});
  v.push_back({"platform_carpool_share", W, platform_share, "1", "share of carpoolers who carpool through a platform"});
  v.push_back({"commuting_occupancy", W, occupancy, "1",
               "persons per car on the commute: car commuters at work over the cars they drive"});
  v.push_back({"carpool_passenger_trips", W, passenger_trips, "1",
               "one-way passenger trips through platforms this week (the national carpool register's count), at "
               "the usual workdays"});
  // What leaves the territory is the ledger's flow of each carpool platform's margin (commissions
  // net of tax, staff and running costs, for a platform whose fees leave); the rest stays.
  const auto carpool_q = carpool_platforms(platforms);
  std::vector<double> kept, leaving;
  for (std::size_t k = 0; k < s.weeks(); ++k) {
    std::int64_t fees = 0, out = 0;
    for (std::size_t p = 0; p < carpool_q.size(); ++p) {
      fees += s.carpool[k].fees_cents[p];
      if (k < s.economy.size() && carpool_q[p] < s.economy[k].flows.leaving.size())
        out += s.economy[k].flows.leaving[carpool_q[p]];
    }
    kept.push_back(euros(fees - out)), leaving.push_back(euros(out));
  }
  v.push_back({"fees_kept_in_territory", W, kept, "EUR",
               "carpool commissions not sent out as a platform's margin (local treasuries, tax, wages, costs)"});
  v.push_back({"fees_leaving_territory", W, leaving, "EUR",
               "margin of the carpool platforms whose fees leave the territory, sent out (the ledger's flow)"});

  describe_markets(d, s, spec, platforms, channels);

  // Money: flows by name, balances by account, public spending by policy.
  std::vector<std::string> flow_names, flow_from, flow_to, policy_labels, policy_kinds;
  for (const auto& f : books.flows()) {
    flow_names.push_back(f.name);
    flow_from.push_back(books.accounts()[f.from]);
    flow_to.push_back(books.accounts()[f.to]);
  }
  for (const auto& p : spec.policies) policy_labels.push_back(p.label), policy_kinds.push_back(p.kind);
  d.coords.push_back({"flow", {"flow"}, flow_names, "", "named money flow between two accounts"});
  d.coords.push_back({"account", {"account"}, books.accounts(), "", "account of the territorial economy"});
  d.coords.push_back({"policy", {"policy"}, policy_labels, "", "policy of the scenario's timeline"});
  describe_fields(v, s.ledger);
  std::vector<double> by_policy, public_spending;
  const std::size_t authority = static_cast<std::size_t>(Account::Authority);
  for (std::size_t w = 0; w < s.weeks(); ++w) {
    // Public spending: everything that leaves the authority's account (a forked run keeps the
    // spending of the weeks before the fork, whose policies may not be its own).
    std::int64_t spent = 0;
    const auto& flows = books.flows();
    for (std::size_t f = 0; f < flows.size(); ++f)
      if (flows[f].from == authority && flows[f].to != authority)  // a debt written off moves no money
        spent += s.ledger[w].cents[f];
    for (auto c : s.policy_cents[w]) by_policy.push_back(euros(c));
    public_spending.push_back(euros(spent));
  }
  v.push_back({"flow_from", {"flow"}, flow_from, "", "account the flow leaves"});
  v.push_back({"flow_to", {"flow"}, flow_to, "", "account the flow reaches"});
  v.push_back({"public_spending", W, public_spending, "EUR", "money the authority spent on its policies"});
  v.push_back({"policy_spending",
               {"week", "policy"},
               by_policy,
               "EUR",
               "money the authority spent on each policy, net of what came back (loans, titres participatifs: "
               "principal and interest repaid)"});
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
  std::vector<std::string> carpool_names, fee_models;
  std::vector<double> commissions, per_km;
  std::vector<std::uint8_t> cooperative;
  for (const auto& c : carpool_platform_list(spec.carpool)) {
    carpool_names.push_back(c.platform->name), fee_models.push_back(c.platform->fee_model);
    cooperative.push_back(c.cooperative ? 1 : 0);
    commissions.push_back(c.platform->commission), per_km.push_back(c.platform->fee_eur_per_km);
  }
  v.push_back({"platform_name", {"platform"}, carpool_names, "", "label of the platform"});
  v.push_back({"platform_cooperative", {"platform"}, cooperative, "1", "1 for a cooperative, 0 for an incumbent"});
  v.push_back({"platform_fee_model",
               {"platform"},
               fee_models,
               "",
               "how the platform charges passengers: commission (a share of the fare) or per_km"});
  v.push_back({"platform_commission", {"platform"}, commissions, "1", "commission on the fare (fee_model commission)"});
  v.push_back({"platform_fee_per_km", {"platform"}, per_km, "EUR/km", "fee per km of the trip (fee_model per_km)"});
  return d;
}

}  // namespace coopterra
