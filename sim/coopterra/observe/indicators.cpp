#include "coopterra/observe/indicators.hpp"

#include <cmath>

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

// Flattens a per-week vector of a market or economy week, row-major over (week, item).
template <class T, class Weeks, class F>
std::vector<T> flat(const Weeks& weeks, F&& f) {
  std::vector<T> out;
  for (const auto& w : weeks)
    for (auto x : f(w)) out.push_back(static_cast<T>(x));
  return out;
}

template <class Weeks, class F>
std::vector<double> flat_euros(const Weeks& weeks, F&& f) {
  std::vector<double> out;
  for (const auto& w : weeks)
    for (auto x : f(w)) out.push_back(euros(x));
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
  const std::vector<std::string> WC{"week", "channel"}, WP{"week", "market_platform"}, WS{"week", "firm_sector"},
      WM{"week", "market"}, W{"week"};
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
  v.push_back({"purchases", WC, flat<std::int64_t>(M, [](const MarketWeek& w) { return w.purchases; }), "purchase",
               "purchases through each channel"});
  v.push_back({"purchase_spending", WC, flat_euros(M, [](const MarketWeek& w) { return w.paid_cents; }), "EUR",
               "paid by residents through each channel, fees included"});
  v.push_back({"channel_fees", WC, flat_euros(M, [](const MarketWeek& w) { return w.fee_cents; }), "EUR",
               "fees kept by the platform of each channel"});
  v.push_back({"channel_co2e", WC,
               flat<double>(M,
                            [](const MarketWeek& w) {
                              std::vector<double> kg;
                              for (auto g : w.co2e_grams) kg.push_back(static_cast<double>(g) / 1000.0);
                              return kg;
                            }),
               "kg",
               "CO2e of each channel: buyers' car trips, goods (manufacturing, upstream transport), delivery rounds"});
  v.push_back({"purchases_by_zone_kind",
               {"week", "channel", "commune_kind"},
               flat<std::int64_t>(M, [](const MarketWeek& w) { return w.purchases_by_zone_kind; }),
               "purchase",
               "purchases by the kind of the buyer's commune"});
  v.push_back({"purchases_by_income",
               {"week", "channel", "income_group"},
               flat<std::int64_t>(M, [](const MarketWeek& w) { return w.purchases_by_income; }),
               "purchase",
               "purchases by the buyer's income quintile"});
  v.push_back({"needs_by_zone_kind",
               {"week", "market", "commune_kind"},
               flat<std::int64_t>(M, [](const MarketWeek& w) { return w.buyers_by_zone_kind; }),
               "person",
               "residents with the market's need this week, by kind of commune"});
  // Per market: emissions, cooperatives' share of platform purchases, concentration.
  std::vector<double> market_co2e, coop_share, hhi, total_co2e, sovereignty, lm3;
  for (std::size_t w = 0; w < M.size(); ++w) {
    const MarketWeek& mw = M[w];
    double all = s.carpool[w].co2e_kg;
    std::int64_t coop_all = s.carpool[w].passengers[0],
                 platform_all = s.carpool[w].passengers[0] + s.carpool[w].passengers[1];
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
  v.push_back({"platform_aware", WP, flat<std::int64_t>(M, [](const MarketWeek& w) { return w.aware; }), "person",
               "residents aware of each platform (barter: 0, see barter_members)"});
  v.push_back({"platform_users", WP, flat<std::int64_t>(M, [](const MarketWeek& w) { return w.users; }), "person",
               "residents whose last purchase in the market was through the platform (carpooling: drivers and "
               "passengers of the week)"});
  v.push_back({"platform_rounds", WP, flat<std::int64_t>(M, [](const MarketWeek& w) { return w.rounds; }), "round",
               "delivery rounds of the platform (each leaves even half empty)"});
  v.push_back({"platform_treasury", WP, flat_euros(E, [](const EconomyWeek& w) { return w.treasury_cents; }), "EUR",
               "cash of the platform in the territory at the end of the week"});
  v.push_back({"platform_open", WP, flat<std::int64_t>(E, [](const EconomyWeek& w) { return w.open; }), "1",
               "1 while the platform operates; a platform closes after weeks with a negative treasury"});
  v.push_back({"platform_quality", WP, flat<double>(E, [](const EconomyWeek& w) { return w.quality; }), "utility",
               "quality of the platform: network effects of its users plus investment"});
  v.push_back({"authority_equity", WP, flat_euros(E, [](const EconomyWeek& w) { return w.authority_equity_cents; }),
               "EUR", "capital the authority holds in the platform"});
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
  const std::vector<std::string> WPC{"week", "market_platform", "college"};
  v.push_back({"cooperative_members", WPC, flat<std::int64_t>(E, [](const EconomyWeek& w) { return w.members; }),
               "person", "members of each cooperative by college (incumbents: 0)"});
  v.push_back({"assembly_participants", WPC, flat<std::int64_t>(E, [](const EconomyWeek& w) { return w.participants; }),
               "person", "members expected at the general assembly, by college"});
  v.push_back({"board_seats", WPC, flat<std::int64_t>(E, [](const EconomyWeek& w) { return w.seats; }), "seat",
               "seats on the cooperative's board by college (the authority's: local_authorities)"});
  // Firms and barter.
  auto arr = [](const auto& a) { return std::vector<std::int64_t>(a.begin(), a.end()); };
  v.push_back({"firms_open", WS, flat<std::int64_t>(E, [&](const EconomyWeek& w) { return arr(w.alive); }), "firm",
               "firms still operating"});
  v.push_back({"firm_failures", WS, flat<std::int64_t>(E, [&](const EconomyWeek& w) { return arr(w.failed); }), "firm",
               "firms failing this week"});
  v.push_back({"jobs", WS,
               flat<double>(E, [](const EconomyWeek& w) { return std::vector<double>(w.jobs.begin(), w.jobs.end()); }),
               "job", "jobs in the firms still operating, full-time equivalents of their local wage bill"});
  v.push_back({"firm_revenue", WS, flat_euros(E, [&](const EconomyWeek& w) { return arr(w.revenue_cents); }), "EUR",
               "revenue of the firms"});
  v.push_back({"firm_market_revenue", WS,
               flat_euros(E, [&](const EconomyWeek& w) { return arr(w.market_revenue_cents); }), "EUR",
               "revenue of the firms from residents and public procurement"});
  v.push_back({"firm_cash", WS, flat_euros(E, [&](const EconomyWeek& w) { return arr(w.cash_cents); }), "EUR",
               "cash of the firms (negative: overdrafts)"});
  v.push_back({"barter_members", W,
               flat<std::int64_t>(E, [](const EconomyWeek& w) { return std::vector<std::int64_t>{w.barter_members}; }),
               "firm", "firms members of the barter network"});
  v.push_back({"barter_volume", W,
               flat_euros(E, [](const EconomyWeek& w) { return std::vector<std::int64_t>{w.barter_volume_cents}; }),
               "EUR", "invoices between firms paid in barter units (1 unit = 1 EUR)"});
  v.push_back({"firm_overdrafts", W,
               flat_euros(E, [](const EconomyWeek& w) { return std::vector<std::int64_t>{w.overdraft_cents}; }), "EUR",
               "overdrafts of open firms (bank credit, the incumbent option to barter)"});
}

}  // namespace

Dataset describe(const Series& s, const Territory& t, const Spec& spec, const std::vector<PlatformInfo>& platforms,
                 const std::vector<Channel>& channels, const Books& books) {
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
  // What leaves the territory is the ledger's flow of each carpool platform's margin (commissions
  // net of tax, staff and running costs, for a platform whose fees leave); the rest stays.
  const std::array<std::size_t, kPlatforms> carpool_q{carpool_platform(platforms, 0), carpool_platform(platforms, 1)};
  std::vector<double> kept, leaving;
  for (std::size_t k = 0; k < s.weeks(); ++k) {
    std::int64_t fees = 0, out = 0;
    for (std::size_t p = 0; p < kPlatforms; ++p) {
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
  std::vector<double> money, balances, by_policy, public_spending;
  const std::size_t authority = static_cast<std::size_t>(Account::Authority);
  for (std::size_t w = 0; w < s.weeks(); ++w) {
    for (auto c : s.ledger[w].cents) money.push_back(euros(c));
    for (auto b : s.ledger[w].balance) balances.push_back(euros(b));
    // Public spending: everything that leaves the authority's account (a forked run keeps the
    // spending of the weeks before the fork, whose policies may not be its own).
    std::int64_t spent = 0;
    const auto& flows = books.flows();
    for (std::size_t f = 0; f < flows.size(); ++f)
      if (flows[f].from == authority) spent += s.ledger[w].cents[f];
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
