// The parameters of the six markets of residents, of barter, of firms' economy and of the
// cooperatives' governance: every default with its unit, range and source (facts.md figures where
// they exist, stated assumptions marked "est." elsewhere).
#include <utility>

#include "coopterra/scenario/parameters.hpp"

namespace coopterra {

const char* market_key(std::size_t market) noexcept {
  static const char* keys[kMarkets] = {"food", "delivery", "electronics", "second_hand", "services", "tourism"};
  return market < kMarkets ? keys[market] : "unknown";
}

namespace {

using V = std::vector<std::string>;
using V2 = std::vector<double>;

template <std::size_t M, auto Field>
void* market_field(Spec& s) {
  return &(s.markets.market[M].*Field);
}
template <std::size_t M, MarketPlatformSpec MarketSpec::*Which, auto Field>
void* platform_field(Spec& s) {
  return &((s.markets.market[M].*Which).*Field);
}
template <auto Field>
void* barter_platform_field(Spec& s) {
  return &(s.barter.cooperative.*Field);
}

Parameter real(std::string key, void* (*field)(Spec&), double def, double lo, double hi, std::string unit,
               std::string desc, std::string src) {
  return Parameter{std::move(key),  ParamType::Real, def,  {}, lo, hi, {}, std::move(unit),
                   std::move(desc), std::move(src),  field};
}
Parameter integer(std::string key, void* (*field)(Spec&), double def, double lo, double hi, std::string unit,
                  std::string desc, std::string src) {
  return Parameter{std::move(key),  ParamType::Integer, def,  {}, lo, hi, {}, std::move(unit),
                   std::move(desc), std::move(src),     field};
}
Parameter boolean(std::string key, void* (*field)(Spec&), bool def, std::string desc, std::string src) {
  return Parameter{
      std::move(key), ParamType::Boolean, def ? 1.0 : 0.0, {}, 0, 1, {}, "", std::move(desc), std::move(src), field};
}
Parameter reals(std::string key, void* (*field)(Spec&), V2 def, std::size_t length, double lo, double hi,
                std::string unit, std::string desc, std::string src) {
  return Parameter{
      std::move(key), ParamType::RealList, 0,     {}, lo, hi, {}, std::move(unit), std::move(desc), std::move(src),
      field,          std::move(def),      length};
}
Parameter text(std::string key, void* (*field)(Spec&), std::string def, std::string desc) {
  return Parameter{std::move(key),  ParamType::String, 0,    std::move(def), 0, 0, {}, "",
                   std::move(desc), "label only",      field};
}

const char* kBass =
    "Bass diffusion meta-analysis means p = 0.03, q = 0.38 per year (Sultan, Farley & Lehmann 1990; facts.md), a "
    "central value of a range";

// A default with its source.
struct D {
  double value;
  const char* source;
};

struct PlatformDefaults {
  const char* name;
  D commission, customer_fee, price_factor, asc, awareness, kg, trip_km, round_km, per_round, vehicle;
  D fixed_cost;
  double staff;
  D treasury, capital;
  V serves;
  bool leaves;
};

struct MarketDefaults {
  D events, seasonality;
  double peak;
  D basket, beta_cost, trip_km, offline_kg;
  bool alternative;
  D alternative_asc, alternative_price, alternative_kg;
  PlatformDefaults cooperative, incumbent;
};

template <std::size_t M, MarketPlatformSpec MarketSpec::*Which>
void add_platform(std::vector<Parameter>& r, const std::string& t, const PlatformDefaults& d) {
  using P = MarketPlatformSpec;
  const bool coop = Which == &MarketSpec::cooperative;
  r.push_back(text(t + ".name", &platform_field<M, Which, &P::name>, d.name, "label of the platform in results"));
  r.push_back(integer(t + ".count", &platform_field<M, Which, &P::count>, 1, 0, 3, "platform",
                      "platforms of this kind competing, with the same parameters (0: none)",
                      "assumption: one of each kind; more to study concentration"));
  r.push_back(real(t + ".commission", &platform_field<M, Which, &P::commission>, d.commission.value, 0, 0.6,
                   "share of price", "share of the seller's price kept by the platform", d.commission.source));
  r.push_back(real(t + ".customer_fee", &platform_field<M, Which, &P::customer_fee>, d.customer_fee.value, 0, 0.5,
                   "share of price", "fee added to the buyer's price, kept by the platform", d.customer_fee.source));
  r.push_back(real(t + ".price_factor", &platform_field<M, Which, &P::price_factor>, d.price_factor.value, 0.05, 5,
                   "times the offline price", "price of the purchase through the platform, before fees",
                   d.price_factor.source));
  r.push_back(real(t + ".asc", &platform_field<M, Which, &P::asc>, d.asc.value, -20, 20, "utility",
                   "alternative-specific constant of the channel against buying offline", d.asc.source));
  r.push_back(real(t + ".initial_awareness", &platform_field<M, Which, &P::initial_awareness>, d.awareness.value, 0, 1,
                   "share of residents", "residents aware of the platform at week 0", d.awareness.source));
  r.push_back(real(t + ".bass_p", &platform_field<M, Which, &P::bass_p>, 0.03, 0, 1, "per year",
                   "external influence on awareness (media, campaigns)", kBass));
  r.push_back(real(t + ".bass_q", &platform_field<M, Which, &P::bass_q>, 0.38, 0, 2, "per year",
                   "imitation: awareness from aware social ties", kBass));
  r.push_back(real(t + ".kg_per_event", &platform_field<M, Which, &P::kg_per_event>, d.kg.value, 0, 1000,
                   "kgCO2e/purchase", "emissions of the goods bought (manufacturing, upstream transport)",
                   d.kg.source));
  r.push_back(real(t + ".customer_trip_km", &platform_field<M, Which, &P::customer_trip_km>, d.trip_km.value, 0, 500,
                   "km/purchase", "car kilometres of the buyer (pick-up), for buyers with a car", d.trip_km.source));
  r.push_back(real(t + ".round_km", &platform_field<M, Which, &P::round_km>, d.round_km.value, 0, 500, "km/round",
                   "vehicle kilometres of one delivery round in a commune (0: no deliveries)", d.round_km.source));
  r.push_back(real(t + ".orders_per_round", &platform_field<M, Which, &P::orders_per_round>, d.per_round.value, 1, 1000,
                   "order/round", "orders a delivery round can carry; a round leaves even half empty",
                   d.per_round.source));
  r.push_back(real(t + ".vehicle_kg_per_km", &platform_field<M, Which, &P::vehicle_kg_per_km>, d.vehicle.value, 0, 2,
                   "kgCO2e/km", "emission factor of the delivery vehicle", d.vehicle.source));
  r.push_back(real(t + ".fixed_cost_eur_per_week", &platform_field<M, Which, &P::fixed_cost_eur_per_week>,
                   d.fixed_cost.value, 0, 1e7, "EUR/week", "running costs besides staff (software, premises)",
                   d.fixed_cost.source));
  r.push_back(integer(t + ".staff", &platform_field<M, Which, &P::staff>, d.staff, 0, 10000, "job",
                      "staff in the territory, paid cooperatives.staff_wage_eur_per_week",
                      coop ? "assumption: a local team for territorial cooperatives, none for national ones "
                             "(Commown ~20 staff nationally, facts.md)"
                           : "an incumbent's staff is outside the territory"));
  r.push_back(real(t + ".initial_treasury_eur", &platform_field<M, Which, &P::initial_treasury_eur>, d.treasury.value,
                   0, 1e9, "EUR", "cash at week 0", d.treasury.source));
  r.push_back(real(t + ".initial_capital_eur", &platform_field<M, Which, &P::initial_capital_eur>, d.capital.value, 0,
                   1e9, "EUR", "capital subscribed by members at week 0 (cooperatives: shares)", d.capital.source));
  Parameter serves{t + ".serves",
                   ParamType::StringList,
                   0,
                   {},
                   0,
                   0,
                   {"urban_core", "periurban", "rural"},
                   "",
                   "kinds of commune the platform serves (none: all)",
                   coop ? "assumption: a young cooperative starts where density makes it viable"
                        : "assumption: an incumbent serves where its model pays",
                   &platform_field<M, Which, &P::serves>};
  serves.default_strings = d.serves;
  r.push_back(std::move(serves));
  r.push_back(boolean(t + ".fees_leave_territory", &platform_field<M, Which, &P::fees_leave_territory>, d.leaves,
                      "whether the platform's margin leaves the territory",
                      coop ? "a territorial SCIC keeps its margin in the territory (mission.md)"
                           : "incumbent fees are treated as leaving the territory almost entirely (facts.md, est.)"));
}

template <std::size_t M>
void add_market(std::vector<Parameter>& r, const MarketDefaults& d) {
  const std::string t = std::string("markets.") + market_key(M);
  using S = MarketSpec;
  r.push_back(real(t + ".events_per_week", &market_field<M, &S::events_per_week>, d.events.value, 0, 1,
                   "probability/week", "chance that a resident has the need in a week", d.events.source));
  r.push_back(real(t + ".seasonality", &market_field<M, &S::seasonality>, d.seasonality.value, 0, 1, "",
                   "relative amplitude of the yearly cycle of needs", d.seasonality.source));
  r.push_back(integer(t + ".peak_week", &market_field<M, &S::peak_week>, d.peak, 1, 52, "week of year",
                      "week of the year when needs peak", d.seasonality.source));
  r.push_back(real(t + ".basket_eur", &market_field<M, &S::basket_eur>, d.basket.value, 0, 100000, "EUR",
                   "price of one purchase offline", d.basket.source));
  r.push_back(real(t + ".beta_cost_per_eur", &market_field<M, &S::beta_cost_per_eur>, d.beta_cost.value, 0, 10,
                   "utility/EUR", "sensitivity of the choice to its money and time cost", d.beta_cost.source));
  r.push_back(real(t + ".local_trip_km", &market_field<M, &S::local_trip_km>, d.trip_km.value, 0, 500, "km",
                   "car kilometres of an offline purchase in the home commune, return (road distance to "
                   "the nearest commune with a seller otherwise)",
                   d.trip_km.source));
  r.push_back(real(t + ".offline_kg_per_event", &market_field<M, &S::offline_kg_per_event>, d.offline_kg.value, 0, 1000,
                   "kgCO2e/purchase", "emissions of the goods bought offline (manufacturing, upstream transport)",
                   d.offline_kg.source));
  r.push_back(boolean(t + ".alternative", &market_field<M, &S::alternative>, d.alternative,
                      "whether doing without (or going elsewhere) is an option", d.alternative_asc.source));
  r.push_back(real(t + ".alternative_asc", &market_field<M, &S::alternative_asc>, d.alternative_asc.value, -20, 20,
                   "utility", "constant of the alternative against buying offline", d.alternative_asc.source));
  r.push_back(real(t + ".alternative_price_factor", &market_field<M, &S::alternative_price_factor>,
                   d.alternative_price.value, 0, 5, "times the offline price", "price of the alternative",
                   d.alternative_price.source));
  r.push_back(real(t + ".alternative_kg_per_event", &market_field<M, &S::alternative_kg_per_event>,
                   d.alternative_kg.value, 0, 1000, "kgCO2e/purchase", "emissions of the alternative",
                   d.alternative_kg.source));
  add_platform<M, &MarketSpec::cooperative>(r, t + ".cooperative", d.cooperative);
  add_platform<M, &MarketSpec::incumbent>(r, t + ".incumbent", d.incumbent);
}

const D kNone{0, "not used by this channel"};
const D kNoRounds{0, "no delivery rounds: the buyer collects or the service comes on foot"};
const D kOneRound{1, "not used without rounds"};
const D kVan{0.27, "diesel van ~0.25-0.30 kgCO2e/km in total (facts.md, est.)"};
const D kParcelRound{30, "assumption: a 30 km parcel round per commune (est.)"};
const D kAwareCoop{0.03, "assumption: a young cooperative known to few residents; range 0-0.2"};
const D kAwareIncumbent{0.8, "assumption: a national brand most adults have heard of; range 0.5-0.95"};
const D kNationalCost{
    50, "assumption: the territory's share of a national cooperative's costs; its staff work elsewhere (est.)"};
const D kIncumbentCost{0, "an incumbent's costs are outside the territory: its margin leaves"};
const D kCoopTreasury{20000, "assumption: a few months of running costs (est.)"};
const D kCoopCapital{10000, "assumption: 100 members with a 100 EUR share, as Mobicoop's (facts.md)"};
const D kNoCapital{0, "an incumbent's capital is held outside the territory"};
const D kAscCoop{-1.0, "assumption: a younger, smaller service; to be calibrated on local uptake"};

std::vector<MarketDefaults> market_defaults() {
  std::vector<MarketDefaults> d(kMarkets);
  // Short food circuit (CoopCircuits) against supermarkets' online grocery.
  d[0] = {
      {0.45, "one weekly food basket per household of ~2.2 persons (INSEE household size, est.)"},
      {0.1, "assumption: slightly more fresh produce bought in summer"},
      26,
      {40, "assumption: the fresh-produce part of a weekly basket a short circuit can supply (est.)"},
      {0.08, "assumption: to be calibrated on the channel's market share"},
      {6, "assumption: a return car trip to the shops of the commune (est.)"},
      {2.75, "transport is ~11 % of a food footprint (Weber & Matthews 2008; facts.md) of an assumed 25 kgCO2e basket"},
      false,
      {0, "food: no do-without option"},
      {0, "not used"},
      {0, "not used"},
      {"cooperative short food circuit (CoopCircuits-like)",
       {0.11, "LeCourtCircuit.fr splits 83 % producer / 11 % platform / ~6 % relay point (facts.md)"},
       {0.0, "assumption: the relay point's share is in the commission"},
       {1.1, "assumption: local produce priced ~10 % above supermarket prices (est.)"},
       kAscCoop,
       {0.05, "assumption: farmers' drives known to a few residents; range 0-0.3"},
       {0.5, "assumption: producer-to-hub transport of a local basket (est.)"},
       {2, "assumption: pick-up at a relay point in the commune (est.)"},
       {40, "assumption: a 40 km collection and delivery round per commune (est.)"},
       {25, "assumption: a small van's round; half-empty rounds can make short circuits worse (ADEME, facts.md)"},
       kVan,
       {300, "assumption: a local SCIC's running costs besides staff (est.)"},
       1,
       kCoopTreasury,
       kCoopCapital,
       {},
       false},
      {"supermarket online grocery",
       {0.15, "marketplace referral fees of usually 8-15 % (Amazon, facts.md)"},
       {0.05, "assumption: a delivery fee (est.)"},
       {1.0, "the offline price"},
       {-2.2,
        "calibrated so that about a tenth of grocery baskets go through online grocery and drives (France, est.)"},
       kAwareIncumbent,
       {2.75, "as the offline basket: the same supply chain"},
       {0, "home delivery"},
       {40, "assumption: a 40 km delivery round per commune (est.)"},
       {60, "assumption: a large van's round (est.)"},
       kVan,
       kIncumbentCost,
       0,
       {0, "not used"},
       kNoCapital,
       {},
       true}};
  // Bike delivery (CoopCycle) against global meal delivery platforms.
  d[1] = {{0.15, "assumption: a meal bought from a restaurant about every 7 weeks per resident (est.)"},
          {0.0, "assumption: no season"},
          1,
          {25, "assumption: a meal for one to two (est.)"},
          {0.1, "assumption: to be calibrated on the channel's market share"},
          {4, "assumption: a return car trip to a restaurant of the commune (est.)"},
          {0, "the meal's own footprint is the same whatever the channel"},
          true,
          {-2.0,
           "assumption: cooking at home instead, set so that about a third of the wishes for a restaurant meal end at "
           "home (est.)"},
          {0.3, "assumption: the ingredients, counted as a cost only (groceries are in the food market)"},
          {0, "the meal's own footprint is the same whatever the channel"},
          {"cooperative bike delivery (CoopCycle-like)",
           {0.15, "CoopCycle's commission is unknown: assume 10-20 % (facts.md, est.)"},
           {0.05, "assumption: a delivery fee (est.)"},
           {1.0, "the restaurant's price"},
           {-0.5, "assumption: a local service with fewer restaurants (est.)"},
           kAwareCoop,
           {0, "the meal's own footprint is the same whatever the channel"},
           {0, "home delivery"},
           {6, "assumption: a 6 km return run per order (est.)"},
           {1, "one order per run"},
           {0.011, "e-bike 0.011 kgCO2e/km (ADEME via Impact CO2; facts.md)"},
           {100, "assumption: a courier cooperative's running costs besides couriers (est.)"},
           1,
           kCoopTreasury,
           kCoopCapital,
           {"urban_core", "periurban"},
           false},
          {"global meal delivery platform",
           {0.30, "25-30 % charged to restaurants (Deliveroo, Uber Eats; facts.md)"},
           {0.10, "~10 % charged to the customer (facts.md)"},
           {1.0, "the restaurant's price"},
           {-0.3, "assumption: the best-known delivery apps (est.)"},
           kAwareIncumbent,
           {0, "the meal's own footprint is the same whatever the channel"},
           {0, "home delivery"},
           {6, "assumption: a 6 km return run per order (est.)"},
           {1, "one order per run"},
           {0.076, "light motorbike 0.076 kgCO2e/km (ADEME via Impact CO2; facts.md)"},
           kIncumbentCost,
           0,
           {0, "not used"},
           kNoCapital,
           {"urban_core", "periurban"},
           true}};
  // Durable electronics (Commown) against buying new from global retailers.
  d[2] = {{0.006, "a smartphone replaced every 2.5 years (ADEME default life; facts.md) by ~80 % of residents (est.)"},
          {0.0, "assumption: no season"},
          1,
          {400, "assumption: a mid-range smartphone (est.)"},
          {0.006, "assumption: to be calibrated on the channel's market share"},
          {10, "assumption: a return car trip to an electronics shop (est.)"},
          {85.1, "smartphone: 85.1 kgCO2e to make (ADEME via Impact CO2; facts.md)"},
          true,
          {-2.0, "assumption: keeping and repairing the old device; about a third of replacements put off (est.)"},
          {0.15, "assumption: a repair at a local shop (est.)"},
          {2, "assumption: spare parts (est.)"},
          {"cooperative durable electronics rental (Commown-like)",
           {0.3, "assumption: the cooperative's margin on the devices it rents (est.)"},
           {0.0, "rental: no fee on top"},
           {1.5, "Fairphone 4 at 29 EUR/month falling to 11.85 after 5 years (facts.md), against buying new (est.)"},
           {-1.5, "assumption: renting a phone is unfamiliar (est.)"},
           {0.02, "assumption: known to few residents; ~2,000 devices in circulation nationally (facts.md)"},
           {42.55, "a device kept 5 years instead of 2.5 halves its yearly footprint (ADEME, Fairphone LCA; facts.md)"},
           {0, "parcel delivery"},
           kParcelRound,
           {50, "assumption: a parcel van's round (est.)"},
           kVan,
           kNationalCost,
           0,
           kCoopTreasury,
           kCoopCapital,
           {},
           false},
          {"global online retailer",
           {0.12, "marketplace referral fees of usually 8-15 % (Amazon, facts.md)"},
           {0.0, "assumption: free delivery"},
           {0.95, "assumption: slightly cheaper than a local shop (est.)"},
           {0.0, "assumption: as familiar as a shop (est.)"},
           {0.9, "assumption: known to nearly every online resident (est.)"},
           {85.1, "smartphone: 85.1 kgCO2e to make (ADEME via Impact CO2; facts.md)"},
           {0, "parcel delivery"},
           kParcelRound,
           {100, "assumption: a parcel van's round (est.)"},
           kVan,
           kIncumbentCost,
           0,
           {0, "not used"},
           kNoCapital,
           {},
           true}};
  // Second-hand goods (Label Emmaus) against buying new on global marketplaces.
  d[3] = {{0.05, "assumption: a non-food good (clothes, furniture) bought about every 20 weeks (est.)"},
          {0.0, "assumption: no season"},
          1,
          {30, "assumption (est.)"},
          {0.05, "assumption: to be calibrated on the channel's market share"},
          {8, "assumption: a return car trip to the shops (est.)"},
          {10, "assumption: manufacturing of a typical new good, range 2-30 kgCO2e (est.)"},
          true,
          {-1.0, "assumption: doing without"},
          {0, "nothing bought"},
          {0, "nothing bought"},
          {"cooperative second-hand marketplace (Label Emmaus-like)",
           {0.15, "Label Emmaus's commission is unknown: assume 10-20 % (facts.md, est.)"},
           {0.0, "assumption: no fee on top"},
           {0.5, "assumption: second-hand at half the new price (est.)"},
           kAscCoop,
           kAwareCoop,
           {1.0, "assumption: refurbishing and packing a used good (est.)"},
           {0, "parcel delivery"},
           kParcelRound,
           {50, "assumption: a parcel van's round (est.)"},
           kVan,
           kNationalCost,
           0,
           kCoopTreasury,
           kCoopCapital,
           {},
           false},
          {"global marketplace (new goods)",
           {0.12, "marketplace referral fees of usually 8-15 % (Amazon, facts.md)"},
           {0.0, "assumption: free delivery"},
           {0.9, "assumption: cheaper than a local shop (est.)"},
           {0.0, "assumption: as familiar as a shop (est.)"},
           {0.9, "assumption: known to nearly every online resident (est.)"},
           {10, "as a new good bought offline"},
           {0, "parcel delivery"},
           kParcelRound,
           {100, "assumption: a parcel van's round (est.)"},
           kVan,
           kIncumbentCost,
           0,
           {0, "not used"},
           kNoCapital,
           {},
           true}};
  // Neighbourhood services (Pwiic) against global service marketplaces and local service firms.
  d[4] = {{0.08, "assumption: a paid service (odd job, help) about every 12 weeks (est.)"},
          {0.0, "assumption: no season"},
          1,
          {40, "assumption: two hours of help (est.)"},
          {0.05, "assumption: to be calibrated on the channel's market share"},
          {0, "the firm comes to the resident"},
          {0.5, "assumption: the firm's van trip (est.)"},
          true,
          {-1.5, "assumption: doing it oneself, about two in five needs (est.)"},
          {0, "nothing bought"},
          {0, "nothing bought"},
          {"cooperative neighbourhood services (Pwiic-like)",
           {0.05, "Pwiic's fee is unknown (facts.md): assumption 5 % (est.)"},
           {0.0, "assumption: no fee on top"},
           {0.7, "assumption: a neighbour asks less than a firm (est.)"},
           {-0.5, "assumption: a younger, smaller service (est.)"},
           kAwareCoop,
           {0.0, "neighbours come on foot"},
           kNone,
           kNoRounds,
           kOneRound,
           kNone,
           kNationalCost,
           0,
           kCoopTreasury,
           kCoopCapital,
           {},
           false},
          {"global service marketplace",
           {0.20, "assumption: near ride-hailing's 25 % (facts.md, est.)"},
           {0.0, "assumption: no fee on top"},
           {0.8, "assumption: independent providers ask less than a firm (est.)"},
           {-0.3, "assumption (est.)"},
           {0.3, "assumption: known to a third of residents (est.)"},
           {0.2, "assumption: the provider's trip (est.)"},
           kNone,
           kNoRounds,
           kOneRound,
           kNone,
           kIncumbentCost,
           0,
           {0, "not used"},
           kNoCapital,
           {},
           true}};
  // Territorial tourism (Les Oiseaux de Passage) against global short-term rental platforms.
  d[5] = {{0.01, "assumption: a short stay in the territory about every two years per resident (est.)"},
          {0.8, "assumption: stays peak in summer"},
          31,
          {150, "assumption: a weekend stay (est.)"},
          {0.01, "assumption: to be calibrated on the channel's market share"},
          {60, "assumption: a return car trip within the territory (est.)"},
          {0, "the stay's own footprint: only the trip is counted"},
          true,
          {0.5, "assumption: a holiday outside the territory is the usual choice"},
          {1.2, "assumption: a holiday elsewhere costs more (est.)"},
          {65, "assumption: a 600 km return car trip shared by two at 0.218 kgCO2e/km (facts.md, est.)"},
          {"cooperative territorial tourism (Les Oiseaux de Passage-like)",
           {0.0, "Les Oiseaux de Passage takes no commission (facts.md)"},
           {0.0, "no commission (facts.md)"},
           {0.9, "assumption: stays with inhabitants cost a little less (est.)"},
           kAscCoop,
           {0.02, "assumption: known to few residents; 1,300 offers in 2021 (facts.md)"},
           {0, "the stay's own footprint: only the trip is counted"},
           {60, "assumption: a return car trip within the territory (est.)"},
           kNoRounds,
           kOneRound,
           kNone,
           {30, "assumption: 17 members, 57,150 EUR capital (2019; facts.md): a very small structure"},
           0,
           kCoopTreasury,
           kCoopCapital,
           {},
           false},
          {"global short-term rental platform",
           {0.03, "~3 % from the host (Airbnb; facts.md)"},
           {0.14, "up to ~14 % from the guest (Airbnb; facts.md)"},
           {0.9, "assumption: private hosts ask a little less than hotels (est.)"},
           {0.0, "assumption: as familiar as a hotel (est.)"},
           kAwareIncumbent,
           {0, "the stay's own footprint: only the trip is counted"},
           {60, "assumption: a return car trip within the territory (est.)"},
           kNoRounds,
           kOneRound,
           kNone,
           kIncumbentCost,
           0,
           {0, "not used"},
           kNoCapital,
           {},
           true}};
  return d;
}

}  // namespace

void add_market_parameters(std::vector<Parameter>& r) {
  r.push_back(real(
      "markets.beta_coop_attitude", [](Spec& s) -> void* { return &s.markets.beta_coop_attitude; }, 1.0, 0, 10,
      "utility", "utility of a cooperative channel per unit of attitude towards cooperatives above 0.5",
      "assumption, as carpool.beta_coop_attitude"));
  r.push_back(real(
      "markets.beta_social", [](Spec& s) -> void* { return &s.markets.beta_social; }, 1.0, 0, 10, "utility",
      "utility per share of a resident's ties who last chose the same channel (social influence)",
      "assumption; to be calibrated (est.)"));
  r.push_back(real(
      "markets.beta_quality", [](Spec& s) -> void* { return &s.markets.beta_quality; }, 1.0, 0, 10, "utility",
      "utility per unit of platform quality (network effects and investment)", "assumption; to be calibrated (est.)"));
  r.push_back(real(
      "markets.household_local_spend_share", [](Spec& s) -> void* { return &s.markets.household_local_spend_share; },
      0.5, 0, 1, "share of income",
      "share of an income that households spend again in the territory (third round of LM3)",
      "assumption between the chains' 15.8 % and independents' 52.3 % recirculation (facts.md, est.)"));
  const auto d = market_defaults();
  add_market<0>(r, d[0]);
  add_market<1>(r, d[1]);
  add_market<2>(r, d[2]);
  add_market<3>(r, d[3]);
  add_market<4>(r, d[4]);
  add_market<5>(r, d[5]);

  // Firms' economy.
  r.push_back(reals(
      "economy.base_revenue_eur_per_week", [](Spec& s) -> void* { return &s.economy.base_revenue_eur_per_week; },
      V2{1500, 2500, 2000, 1500, 1200}, 5, 0, 1e7, "EUR/week",
      "sales of a firm beyond the modelled markets (to visitors, firms, wholesale), by sector: "
      "producers, shops, restaurants, service firms, tourism hosts",
      "assumption: very small firms turn over ~80-150 kEUR a year (INSEE ESANE orders of magnitude, "
      "est.)"));
  r.push_back(real(
      "economy.margin", [](Spec& s) -> void* { return &s.economy.margin; }, 0.05, 0, 0.5, "share of revenue",
      "profit share of revenue in normal times", "assumption: thin margins of small firms (est.)"));
  r.push_back(real(
      "economy.fixed_cost_share", [](Spec& s) -> void* { return &s.economy.fixed_cost_share; }, 0.35, 0, 0.95,
      "share of revenue", "share of reference revenue a firm pays whatever its sales (rent, staff, loans)",
      "assumption (est.)"));
  r.push_back(integer(
      "economy.calibration_weeks", [](Spec& s) -> void* { return &s.economy.calibration_weeks; }, 4, 1, 52, "week",
      "first weeks whose mean revenue is a firm's reference revenue", "coopterra (warm-up)"));
  r.push_back(real(
      "economy.initial_cash_weeks", [](Spec& s) -> void* { return &s.economy.initial_cash_weeks; }, 4, 0, 104,
      "week of revenue", "cash of a firm at start", "assumption: small firms hold 1-2 months of sales in cash (est.)"));
  r.push_back(real(
      "economy.recirculation_independent", [](Spec& s) -> void* { return &s.economy.recirculation_independent; }, 0.523,
      0, 1, "share of revenue", "share of an independent firm's revenue spent again in the territory",
      "Civic Economics: independents recirculate 52.3 % of revenue locally (facts.md)"));
  r.push_back(real(
      "economy.recirculation_chain", [](Spec& s) -> void* { return &s.economy.recirculation_chain; }, 0.158, 0, 1,
      "share of revenue", "share of a chain's revenue spent again in the territory",
      "Civic Economics: chains recirculate 15.8 % of revenue locally (facts.md)"));
  r.push_back(real(
      "economy.wage_share_of_local", [](Spec& s) -> void* { return &s.economy.wage_share_of_local; }, 0.6, 0, 1,
      "share", "share of a firm's local spending that is wages of residents; the rest buys from local firms",
      "assumption (est.)"));
  r.push_back(real(
      "economy.wage_eur_per_week", [](Spec& s) -> void* { return &s.economy.wage_eur_per_week; }, 700, 100, 10000,
      "EUR/week", "employer cost of a job, for counting jobs",
      "assumption: ~1.5 times the minimum wage with employer charges (est.)"));
  r.push_back(real(
      "economy.credit_limit_weeks", [](Spec& s) -> void* { return &s.economy.credit_limit_weeks; }, 2, 0, 52,
      "week of revenue", "bank overdraft a firm may draw (the incumbent option to barter)",
      "assumption: short-term credit lines of small firms (est.)"));
  r.push_back(real(
      "economy.interest_rate_per_year", [](Spec& s) -> void* { return &s.economy.interest_rate_per_year; }, 0.06, 0, 1,
      "per year", "interest on overdrafts, paid to banks outside the territory",
      "assumption: overdraft rates of a few percent (est.)"));
  r.push_back(integer(
      "economy.failure_weeks", [](Spec& s) -> void* { return &s.economy.failure_weeks; }, 8, 1, 104, "week",
      "consecutive weeks beyond the credit limit before a firm fails",
      "assumption: about two months of unpaid bills (est.)"));

  // Barter between firms.
  using P = MarketPlatformSpec;
  r.push_back(text("barter.cooperative.name", &barter_platform_field<&P::name>,
                   "cooperative barter network (France Barter-like)", "label of the platform in results"));
  r.push_back(integer("barter.cooperative.count", &barter_platform_field<&P::count>, 1, 0, 1, "platform",
                      "whether the territory has a barter cooperative (0 or 1)", "choice of the scenario"));
  r.push_back(real("barter.cooperative.commission", &barter_platform_field<&P::commission>, 0.05, 0, 0.5,
                   "share of invoices", "commission on bartered invoices, paid in cash",
                   "France Barter: 5 % commission on invoices (facts.md)"));
  r.push_back(real("barter.cooperative.initial_awareness", &barter_platform_field<&P::initial_awareness>, 0.02, 0, 1,
                   "share of firms", "firms members of the network at week 0",
                   "assumption: 750 member firms nationally (2017; facts.md): few in any territory"));
  r.push_back(real("barter.cooperative.bass_p", &barter_platform_field<&P::bass_p>, 0.03, 0, 1, "per year",
                   "firms joining on their own", kBass));
  r.push_back(real("barter.cooperative.bass_q", &barter_platform_field<&P::bass_q>, 0.38, 0, 2, "per year",
                   "firms joining by imitation of members", kBass));
  r.push_back(real("barter.cooperative.fixed_cost_eur_per_week", &barter_platform_field<&P::fixed_cost_eur_per_week>,
                   50, 0, 1e7, "EUR/week", "running costs besides staff",
                   "assumption: the territory's share of a national network's costs (est.)"));
  r.push_back(integer("barter.cooperative.staff", &barter_platform_field<&P::staff>, 0, 0, 1000, "job",
                      "staff in the territory", "assumption (est.)"));
  r.push_back(real("barter.cooperative.initial_treasury_eur", &barter_platform_field<&P::initial_treasury_eur>, 20000,
                   0, 1e9, "EUR", "cash at week 0", "assumption (est.)"));
  r.push_back(real("barter.cooperative.initial_capital_eur", &barter_platform_field<&P::initial_capital_eur>, 10000, 0,
                   1e9, "EUR", "capital subscribed by members at week 0",
                   "France Barter's fee includes a 100 EUR share (facts.md); assumption of 100 members"));
  r.push_back(real(
      "barter.annual_fee_eur", [](Spec& s) -> void* { return &s.barter.annual_fee_eur; }, 235, 0, 100000, "EUR/year",
      "membership fee of a firm, paid on joining and every 52 weeks",
      "France Barter: 235 EUR excl. VAT a year including a 100 EUR share (facts.md)"));
  r.push_back(real(
      "barter.barter_share", [](Spec& s) -> void* { return &s.barter.barter_share; }, 0.03, 0, 1,
      "share of local supplies", "share of a member's purchases from local firms paid in barter units",
      "derived: ~2 MEUR traded in 3 years by 750 firms (facts.md), about 900 EUR a firm a year"));
  r.push_back(real(
      "barter.stressed_barter_share", [](Spec& s) -> void* { return &s.barter.stressed_barter_share; }, 0.3, 0, 1,
      "share of local supplies", "the same for a member whose cash is negative: barter preserves its treasury",
      "assumption (est.)"));
  r.push_back(real(
      "barter.unit_credit_weeks", [](Spec& s) -> void* { return &s.barter.unit_credit_weeks; }, 2, 0, 52,
      "week of revenue", "how far a member's barter balance may go negative", "assumption (est.)"));
  r.push_back(real(
      "barter.stress_join_factor", [](Spec& s) -> void* { return &s.barter.stress_join_factor; }, 3, 1, 100, "times",
      "joining is this many times likelier for a firm with negative cash", "assumption (est.)"));

  // Outputs.
  r.push_back(reals(
      "outputs.snapshot_weeks", [](Spec& s) -> void* { return &s.outputs.snapshot_weeks; }, V2{}, 0, 1, 5200, "week",
      "weeks after which every resident's state (commuting mode, channel and awareness in each "
      "market) is written to the results; none by default, the weekly aggregates being streamed",
      "choice of the user"));

  // Cooperatives' governance.
  r.push_back(real(
      "cooperatives.reserve_share", [](Spec& s) -> void* { return &s.cooperatives.reserve_share; }, 0.575, 0.575, 1,
      "share of surplus", "share of a year's surplus kept as non-distributable reserves",
      "SCIC law: at least 57.5 % of profits go to reserves (facts.md)"));
  r.push_back(real(
      "cooperatives.investment_share", [](Spec& s) -> void* { return &s.cooperatives.investment_share; }, 0.3, 0, 0.425,
      "share of surplus", "share of a year's surplus invested in quality; the rest is refunded to user members",
      "assumption (est.)"));
  r.push_back(real(
      "cooperatives.user_member_share", [](Spec& s) -> void* { return &s.cooperatives.user_member_share; }, 0.01, 0, 1,
      "share of users", "regular users who become members",
      "Mobicoop: ~1,170 members for >500 k users (facts.md), more in local cooperatives (est.)"));
  r.push_back(reals(
      "cooperatives.participation", [](Spec& s) -> void* { return &s.cooperatives.participation; },
      V2{0.8, 0.1, 0.5, 1.0, 0.3}, kColleges, 0, 1, "share of members",
      "members attending the general assembly, by college: workers, users, producers, local "
      "authorities, supporters",
      "assumption (est.)"));
  r.push_back(reals(
      "cooperatives.vote_weights", [](Spec& s) -> void* { return &s.cooperatives.vote_weights; },
      V2{0.3, 0.2, 0.2, 0.2, 0.1}, kColleges, 0, 0.5, "share of votes",
      "weight of each college in the general assembly and on the board (sum 1)",
      "SCIC: weighted colleges allowed, each 10-50 % of votes (facts.md); weights assumed"));
  r.push_back(integer(
      "cooperatives.board_seats", [](Spec& s) -> void* { return &s.cooperatives.board_seats; }, 12, 3, 100, "seat",
      "seats on a cooperative's board, shared by college weight among colleges with members", "assumption (est.)"));
  r.push_back(integer(
      "cooperatives.supporters", [](Spec& s) -> void* { return &s.cooperatives.supporters; }, 20, 0, 100000, "person",
      "supporter members of each cooperative at start", "assumption (est.)"));
  r.push_back(real(
      "cooperatives.staff_wage_eur_per_week", [](Spec& s) -> void* { return &s.cooperatives.staff_wage_eur_per_week; },
      700, 0, 10000, "EUR/week", "employer cost of a platform's staff member", "as economy.wage_eur_per_week (est.)"));
  r.push_back(integer(
      "cooperatives.exit_weeks", [](Spec& s) -> void* { return &s.cooperatives.exit_weeks; }, 13, 1, 520, "week",
      "consecutive weeks with a negative treasury before a platform closes",
      "assumption: a quarter of unpaid bills (est.)"));
  r.push_back(real(
      "cooperatives.network_effect", [](Spec& s) -> void* { return &s.cooperatives.network_effect; }, 0.3, 0, 10,
      "quality per log-user",
      "quality a platform gains as its users grow: q = network_effect x ln(1 + users / "
      "users_reference)",
      "assumption: logarithmic network effects (est.)"));
  r.push_back(real(
      "cooperatives.users_reference", [](Spec& s) -> void* { return &s.cooperatives.users_reference; }, 500, 1, 1e9,
      "user/week", "weekly users at which the network effect reaches network_effect x ln 2", "assumption (est.)"));
  r.push_back(real(
      "cooperatives.eur_per_quality", [](Spec& s) -> void* { return &s.cooperatives.eur_per_quality; }, 50000, 1, 1e9,
      "EUR", "investment that adds one unit of quality", "assumption (est.)"));
}

}  // namespace coopterra
