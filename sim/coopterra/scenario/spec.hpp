#pragma once
// The validated, immutable description of a run: every model parameter as a typed field.
// Defaults, units, ranges and sources live in one place, the registry (data/registry.toml, its
// keys bound to these members by the describe functions of registry.cpp); a Spec is only ever
// produced from it (default_spec(), or a validated scenario).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace coopterra {

struct RunSpec {
  std::int64_t weeks = 0;  // horizon
  std::int64_t seed = 0;   // default seed of the behaviour streams
  std::string start_date;  // first day of week 1, YYYY-MM-DD (the results' time coordinate)
};

struct TerritorySpec {
  std::string source;  // "synthetic" or "communes"
  // A commune table (source = "communes"): file, selection, optional road edge list.
  std::string communes_file;
  std::string roads_file;
  std::string epci_file;        // optional commune-to-EPCI table
  std::string flows_file;       // optional home-work flows (commune of residence, of work, workers)
  std::string arrondissements;  // "merge" (into their commune) or "zones"
  std::vector<std::string> select_departements;
  std::vector<std::string> select_epcis;
  std::vector<std::string> select_communes;
  // The rule classing real communes as urban core, periurban or rural.
  std::int64_t urban_core_min_population = 0;
  double urban_core_min_density = 0;  // inhabitants per km2
  double periurban_radius_km = 0;
  double periurban_min_density = 0;
  double separate_gap_km = 0;  // without roads_file: a gap beyond which communes are another place
  // The synthetic territory.
  std::int64_t zones = 0;         // number of communes
  std::int64_t residents = 0;     // total population
  std::int64_t seed = 0;          // seed of the territory's layout
  double radius_km = 0;           // radius of the territory
  double rank_size_exponent = 0;  // Zipf exponent of zone populations
  double periurban_share = 0;     // share of zones in the periurban ring
  std::int64_t road_neighbours = 0;
  double detour_factor = 0;  // road km per crow-fly km
  double road_speed_kmh = 0;
};

struct PopulationSpec {
  std::vector<double> age_shares;                  // 0-14, 15-29, 30-44, 45-59, 60-74, 75+
  std::vector<double> relative_employment_by_age;  // same groups, relative to the highest
  std::vector<double> car_access_by_kind;          // urban core, periurban, rural
  std::vector<double> offline_share_by_age;        // no internet use, by age group
  double commuter_share = 0;                       // residents with a fixed workplace
  double drive_if_car_share = 0;                   // commuters with a car who drive to work
  double electric_car_share = 0;                   // cars that are electric
  double work_in_home_zone_share = 0;              // commuters working in their home commune
  std::int64_t ties_per_resident = 0;
  double local_tie_share = 0;  // ties within the home zone
  // Households' budgets (docs/model.md, "Households"): disposable income per consumption unit of
  // each national decile, how a commune's kind tilts its residents' deciles, and how car access and
  // internet use follow income.
  std::vector<double> income_eur_by_decile;  // mean of each decile, EUR a year per consumption unit
  double consumption_units_per_person = 0;   // a household's consumption units over its members
  std::vector<double> income_tilt_by_kind;   // urban core, periurban, rural: log-odds per decile step
  double car_access_income_slope = 0;        // relative change of car access from the middle to the top decile
  // Car access and driving to work in dense cities: from their urban-core values at
  // dense_city_from_density to these at dense_city_density (log-linear in density).
  double dense_city_from_density = 0, dense_city_density = 0;  // inhabitants per km2
  double dense_city_car_access = 0, dense_city_drive_if_car_share = 0;
  double offline_income_slope = 0;  // relative change of the offline share from the middle to the bottom
};

struct FirmSpec {
  double per_1000_residents = 0;
  std::vector<double> sector_shares;          // producer, shop, restaurant, services, tourism
  std::vector<double> chain_share_by_sector;  // same sectors
};

// A platform: of a market, of barter, or of carpooling (which uses name, commission, awareness,
// Bass coefficients, fees_leave_territory and the economic fields: costs, staff, treasury, capital).
struct MarketPlatformSpec {
  std::string name;
  std::int64_t count = 1;
  double commission = 0;           // share of the seller's price kept by the platform
  double customer_fee = 0;         // share of the price added for the buyer, kept by the platform
  double price_factor = 1;         // price of the basket through the platform, relative to offline
  double asc = 0;                  // utility of the channel against buying offline
  double initial_awareness = 0;    // share of residents aware at week 0
  double awareness_potential = 1;  // share of residents word of mouth and media can reach (Bass's m)
  double bass_p = 0, bass_q = 0;   // per year
  double kg_per_event = 0;         // goods' emissions per purchase (manufacturing, upstream transport)
  double customer_trip_km = 0;     // car km of the buyer per purchase (pick-up at a relay point)
  double round_km = 0;             // vehicle km of one delivery round in a zone (0: no rounds)
  double orders_per_round = 1;     // capacity of a round
  double vehicle_kg_per_km = 0;    // emission factor of the delivery vehicle
  double fixed_cost_eur_per_week = 0;
  std::int64_t staff = 0;  // staff at least, whatever the volume
  // Costs that scale with activity (0: none): per order, per round (vehicle and courier time), and
  // the staff the orders need beyond `staff`.
  double order_cost_eur = 0;         // handling of an order paid outside (payment, software, packing)
  double round_eur_per_km = 0;       // vehicle cost of a delivery round, paid outside
  double round_minutes = 0;          // courier time of a round, paid to residents
  double orders_per_staff_week = 0;  // orders one staff member handles in a week (0: staff fixed)
  // Quality (model/quality.hpp): users and investment beyond the territory, and what the platform
  // invests of its fees (cooperatives invest from their yearly surplus besides).
  double national_users = 0;           // weekly users outside the territory counted in its network
  double national_investment_eur = 0;  // quality investment made outside the territory (stock)
  double investment_share_of_fees = 0;
  // The response to competition: fees x max(0, 1 - fee_response x loss), the loss being the
  // relative fall of the platform's share of its market's platform customers since the end of the
  // calibration weeks (model/economy.cpp).
  double fee_response = 0;
  double initial_treasury_eur = 0;
  double initial_capital_eur = 0;   // members' shares (cooperatives)
  std::vector<std::string> serves;  // zone kinds served: urban_core, periurban, rural (empty: all)
  bool fees_leave_territory = false;
  // Carpool platforms: what the passenger pays the platform on top of the fare, a share of it
  // ("commission") or an amount per km of the trip ("per_km").
  std::string fee_model = "commission";
  double fee_eur_per_km = 0;
};

// One platform of carpooling: the scenario's [[carpool.platforms]], or by default carpooling's
// cooperative and incumbent tables.
inline constexpr std::size_t kMaxCarpoolPlatforms = 8;
struct CarpoolPlatformSpec {
  std::string key;  // unique name in the scenario and its results ("cooperative", "ridygo"...)
  bool cooperative = false;
  MarketPlatformSpec platform;
};

struct CarpoolSpec {
  std::int64_t workdays_per_week = 0;
  double car_cost_eur_per_km = 0;
  double fare_eur_per_km = 0;
  double detour_minutes = 0;
  double detour_km = 0;
  double asc = 0;
  double beta_cost_per_eur = 0;
  double value_of_time_eur_per_hour = 0;
  double beta_coop_attitude = 0;
  double informal_asc = 0;    // carpooling without a platform (household members, colleagues) against driving alone
  double weeks_of_leave = 0;  // weeks a year a commuter does not commute (paid leave, public holidays)
  MarketPlatformSpec cooperative;              // the default cooperative, and what every listed cooperative starts from
  MarketPlatformSpec incumbent;                // the same for incumbents
  std::vector<CarpoolPlatformSpec> platforms;  // [[carpool.platforms]]; empty: the two above
};

// Carpooling's platforms as the engine reads them: the listed ones, or the default two.
struct CarpoolPlatformView {
  std::string key;
  bool cooperative;
  const MarketPlatformSpec* platform;
};
inline std::vector<CarpoolPlatformView> carpool_platform_list(const CarpoolSpec& c) {
  if (c.platforms.empty()) return {{"cooperative", true, &c.cooperative}, {"incumbent", false, &c.incumbent}};
  std::vector<CarpoolPlatformView> out;
  for (const auto& p : c.platforms) out.push_back({p.key, p.cooperative, &p.platform});
  return out;
}

struct EmissionSpec {
  double thermal_car_kg_per_km = 0;
  double electric_car_kg_per_km = 0;
};

// The markets of the seven other platform archetypes (mission.md), beside carpooling. Six are
// markets of residents; business-to-business barter is a market of firms (BarterSpec).
inline constexpr std::size_t kMarkets = 6;
enum class MarketId : std::uint8_t { Food, Delivery, Electronics, SecondHand, Services, Tourism };
// Scenario key of each market ("food", "delivery", ...), and of each sector a policy can target.
const char* market_key(std::size_t market) noexcept;
// Who receives the seller's part of a purchase: the local firms of a sector (FirmSector 0..4),
// other households (peer to peer), the outside world, or nobody (nothing is bought).
enum class Seller : std::uint8_t {
  Producers,
  Shops,
  Restaurants,
  ServiceFirms,
  TourismHosts,
  Households,
  Outside,
  None
};

// Platforms of one kind in a market (cooperative or incumbent): `count` platforms with the same
// parameters compete, each with its own awareness, users, quality and treasury.

struct MarketSpec {
  double events_per_week = 0;  // probability that a resident has the need in a week
  double seasonality = 0;      // relative amplitude of the yearly cycle of needs
  std::int64_t peak_week = 1;  // week of the year when needs peak
  double basket_eur = 0;       // price of one purchase offline
  double beta_cost_per_eur = 0;
  double local_trip_km = 0;  // car km of an offline purchase in the home commune (return)
  double offline_kg_per_event = 0;
  double production_kg_per_event = 0;  // the goods' production, the same through every channel but the alternative
  double income_elasticity = 0;        // of the need to income (Engel): need x (income / mean)^elasticity
  bool alternative = false;            // whether doing without (or going elsewhere) is an option
  double alternative_asc = 0;
  double alternative_price_factor = 0;
  double alternative_kg_per_event = 0;
  MarketPlatformSpec cooperative;
  MarketPlatformSpec incumbent;
};

// Choice parameters shared by the markets of residents.
struct MarketsSpec {
  double beta_coop_attitude = 0;           // utility per unit of attitude above 0.5, cooperative channels
  double beta_social = 0;                  // utility per share of ties who last chose the same channel
  double beta_quality = 0;                 // utility per unit of platform quality
  double household_local_spend_share = 0;  // share of income households re-spend in the territory (LM3)
  std::array<MarketSpec, kMarkets> market;
};

// Firms' economy: revenue, costs, cash, jobs and failure.
struct EconomySpec {
  std::vector<double> base_revenue_eur_per_week;  // by firm sector: sales beyond the modelled markets
  double margin = 0;                              // profit share of revenue in normal times
  double fixed_cost_share = 0;                    // share of reference revenue that costs whatever the sales
  std::int64_t calibration_weeks = 0;
  double initial_cash_weeks = 0;  // cash at start, in weeks of reference revenue
  double recirculation_independent = 0;
  double recirculation_chain = 0;
  double wage_share_of_local = 0;  // share of local spending that is wages of residents
  double wage_eur_per_week = 0;    // employer cost of a job
  double credit_limit_weeks = 0;   // bank overdraft, in weeks of reference revenue
  double interest_rate_per_year = 0;
  std::int64_t failure_weeks = 0;  // consecutive weeks beyond the credit limit before failure
  // Turnover of firms: failures for causes the model does not represent, faster under cash stress;
  // a failed firm's place taken by an entrant (docs/model.md, "Firms").
  std::vector<double> failure_rate_per_year;  // by firm sector: yearly chance of failing in normal times
  double stressed_failure_factor = 0;         // the same chance is this many times higher with negative cash
  double cost_adjustment_weeks = 0;           // after calibration, the reference revenue follows revenue over this
  double vacancy_weeks = 0;                   // mean weeks before an entrant takes a failed firm's place
};

// Business-to-business barter through a cooperative network (France Barter-like); the incumbent
// option is bank credit (EconomySpec).
struct BarterSpec {
  MarketPlatformSpec cooperative;  // commission on invoices; initial_awareness: firms members at start
  double annual_fee_eur = 0;
  double barter_share = 0;           // share of a member's local supplies paid in barter units
  double stressed_barter_share = 0;  // the same when the member's cash is negative
  double unit_credit_weeks = 0;      // how far a member's unit balance may go negative, in weeks of revenue
  double stress_join_factor = 0;     // joining is this many times likelier for a firm short of cash
  double potential_share = 0;        // share of firms that would ever join (Bass's market potential)
};

// Cooperatives' governance (SCIC): colleges, general assemblies, profit allocation, exit.
inline constexpr std::size_t kColleges = 5;  // workers, users, producers, local authorities, supporters
struct CooperativesSpec {
  double reserve_share = 0;           // of a year's surplus kept as non-distributable reserves
  double investment_share = 0;        // of a year's surplus invested in quality
  double user_member_share = 0;       // regular users who become members
  std::vector<double> participation;  // share of each college attending the general assembly
  std::vector<double> vote_weights;   // weight of each college's vote
  std::int64_t board_seats = 0;
  std::int64_t supporters = 0;  // supporter members at start
  double staff_wage_eur_per_week = 0;
  std::int64_t exit_weeks = 0;      // weeks with a negative treasury before a platform closes
  double courier_eur_per_hour = 0;  // employer cost of an hour of a courier's time
  // Platform quality (model/quality.hpp): two saturating terms.
  double network_effect = 0;            // maximum quality from network effects
  double users_reference = 0;           // weekly users at which it reaches half its maximum
  double investment_effect = 0;         // maximum quality from investment
  double investment_reference_eur = 0;  // investment stock at which it reaches half its maximum
  double depreciation_per_year = 0;     // share of the investment stock lost in a year
};

// What a run writes beyond its weekly aggregates.
struct OutputsSpec {
  std::vector<double> snapshot_weeks;  // weeks after which every resident's state is kept
};

// Where a comparison's parameters come from: a posterior file of calibrated draws, read by the
// Python layer (coopterra.posterior); the engine runs one draw at a time as overrides.
struct UncertaintySpec {
  std::string posterior;  // posterior file (coopterra calibrate), relative to the scenario
};

// The local authority running the policies.
struct AuthoritySpec {
  std::string name;
  double budget_eur = 0;  // envelope for the whole horizon
};

// The kinds of the timeline's events, parsed once from `kind` (policy/kinds.cpp lists them; each
// is defined in its own file, policy/<kind>.cpp).
enum class PolicyKind : std::uint8_t {
  CarpoolIncentive,
  AwarenessCampaign,
  PlatformTax,
  Grant,
  ScicEquity,
  Procurement,
  CooperativeNetwork,
  InKind,
  BarterSupport,
  Loan,
  QuasiEquity,
  Crowdfunding,
  Lockdown,
  CashCrunch,
};

// One event of the timeline: a policy of the authority ([[policies]]) or a shock ([[shocks]]).
// Fields unused by its kind keep their defaults.
struct PolicySpec {
  std::string kind;  // as written; `id` is the same, parsed
  PolicyKind id = PolicyKind::CarpoolIncentive;
  std::string label;  // shown in results; defaults to the kind
  std::int64_t start_week = 1;
  std::int64_t end_week = 0;       // inclusive; 0: until the horizon
  std::string platform;            // cooperative or incumbent
  double amount_eur = 0;           // carpool_incentive: per passenger trip, paid to the driver
  double reach = 0;                // awareness_campaign: weekly share of unaware residents reached
  double cost_eur = 0;             // awareness_campaign: total cost
  double rate = 0;                 // platform_tax: share of the platform's commissions
  double pass_through = 0;         // platform_tax: share passed on to users through the commission
  double commuting_share = 1;      // lockdown: share of commuting trips still made
  bool carpooling_allowed = true;  // lockdown: whether health rules let people share a car
  std::vector<std::string> zones;  // targets by home commune code (with epcis: union; none: all)
  std::vector<std::string> epcis;
  // Policies and shocks of the other markets.
  std::string sector = "carpool";     // the market a policy acts on (see market_key), or carpool
  double weekly_eur = 0;              // procurement, in_kind: spent each active week
  double pooled_share = 0;            // cooperative_network: share of cooperatives' fixed costs pooled
  double cross_reach = 0;             // cooperative_network: weekly awareness of the other cooperatives
  double equity_eur = 0;              // scic_equity: capital subscribed by the authority at start_week
  double fee_share = 0;               // barter_support: share of the membership fee the authority pays
  double join_multiplier = 1;         // barter_support: joining is this many times likelier
  bool restaurants_closed = false;    // lockdown
  double delivery_demand_factor = 1;  // lockdown: delivery needs multiplied
  double offline_penalty = 0;         // lockdown: utility lost by shopping in person
  bool travel_allowed = true;         // lockdown: tourism stays possible
  double extra_cost_share = 0;        // cash_crunch: firms' costs up by this share
  double credit_share = 1;            // cash_crunch: share of the usual credit line still open
  // Financing of cooperatives (policy/loan.cpp, quasi_equity.cpp, crowdfunding.cpp).
  double principal_eur = 0;                // loan: lent to each cooperative of the sector
  double subscribed_eur = 0;               // quasi_equity: titres participatifs subscribed in each
  double annual_rate = 0;                  // loan, quasi_equity: interest or remuneration per year
  std::int64_t instalments_per_year = 12;  // loan, quasi_equity: 12 monthly, 52 weekly
  std::int64_t instalments = 0;            // loan: repayments; quasi_equity: coupons (redeemed at the last)
  std::int64_t grace_instalments = 0;      // loan: first instalments paying interest only
  std::string repayment = "annuity";       // loan: annuity (constant instalments) or linear
  std::int64_t subscribers = 0;            // crowdfunding: residents subscribing in each cooperative
  double share_eur = 0;                    // crowdfunding: shares each subscriber buys
  std::string college = "supporters";      // crowdfunding: the college they join (supporters or users)
  int line = 0, column = 0;                // where the policy is written, for errors found later
  std::string file;
};

struct Spec {
  std::int64_t schema_version = 0;
  std::string name;
  std::string description;
  RunSpec run;
  TerritorySpec territory;
  PopulationSpec population;
  FirmSpec firms;
  CarpoolSpec carpool;
  MarketsSpec markets;
  EconomySpec economy;
  BarterSpec barter;
  CooperativesSpec cooperatives;
  OutputsSpec outputs;
  UncertaintySpec uncertainty;
  EmissionSpec emissions;
  AuthoritySpec authority;
  std::vector<PolicySpec> policies;
  std::vector<PolicySpec> shocks;
};

}  // namespace coopterra
