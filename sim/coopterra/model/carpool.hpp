#pragma once
// Carpooling for commuters: each week a car commuter not on leave chooses between driving alone,
// carpooling without a platform (household members, colleagues: costs shared, no money booked)
// and carpooling through one of the platforms they are aware of (a cooperative with no commission,
// an incumbent whose commission leaves the territory), by a multinomial logit on cost and time.
// Those who chose the same mode for the same home and work zones are paired; one drives, one
// rides (through a platform, paying the fare plus the commission); an odd one out drives alone.
// Awareness of each platform spreads over the social network (Bass-type external and imitation
// effects). See docs/model.md.
#include <array>
#include <compare>
#include <cstdint>
#include <vector>

#include "coopterra/core/fields.hpp"
#include "coopterra/core/random.hpp"
#include "coopterra/model/awareness.hpp"
#include "coopterra/model/levers.hpp"
#include "coopterra/model/platforms.hpp"
#include "coopterra/population/population.hpp"
#include "coopterra/scenario/spec.hpp"
#include "coopterra/territory/territory.hpp"

namespace coopterra {

// Modes: 0 drive alone, 1 + p carpool through platform p (of n), n + 1 carpool without a platform.
inline constexpr std::uint8_t kOnLeave = 255;  // a commuter's week off: no choice, no trip

enum class Role : std::uint8_t { None = 0, Alone = 1, Driver = 2, Passenger = 3, Unmatched = 4 };

// What one week of carpooling produced; money in euro cents, so that it adds up exactly.
struct CarpoolWeek {
  double vehicle_km_alone = 0;      // car commuters driving alone, unmatched included
  double vehicle_km_carpool = 0;    // drivers of carpools, detours included
  double passenger_km_carpool = 0;  // distance travelled as a carpool passenger
  double co2e_kg = 0;
  std::vector<std::int64_t> choosing;  // residents choosing each mode (not on leave)
  std::int64_t on_leave = 0;           // car commuters on leave this week
  std::int64_t informal_drivers = 0, informal_passengers = 0, informal_unmatched = 0;
  // By platform.
  std::vector<std::int64_t> aware;  // residents aware of each platform
  std::vector<std::int64_t> drivers, passengers, unmatched;
  std::vector<std::int64_t> fares_paid_cents;     // by passengers, the platform's fee included
  std::vector<std::int64_t> driver_income_cents;  // received by drivers
  std::vector<std::int64_t> fees_cents;           // fees received by the platform
  std::vector<std::int64_t> tax_cents;            // paid by the platform to the authority
  std::vector<std::int64_t> incentive_cents;      // paid by the authority to drivers
  std::int64_t households_net_cents = 0;          // sum over residents of what they received minus paid
  std::vector<double> vehicle_km_by_zone;         // by home zone
  std::vector<std::int64_t> carpoolers_by_zone;   // drivers and passengers, by home zone
  std::vector<std::int64_t> passengers_by_zone;   // by platform x home zone

  // A week of zeros for n platforms and `zones` zones.
  static CarpoolWeek zeros(std::size_t n, std::size_t zones) {
    CarpoolWeek w;
    w.choosing.assign(n + 2, 0);
    for (auto* v : {&w.aware, &w.drivers, &w.passengers, &w.unmatched, &w.fares_paid_cents, &w.driver_income_cents,
                    &w.fees_cents, &w.tax_cents, &w.incentive_cents})
      v->assign(n, 0);
    w.vehicle_km_by_zone.assign(zones, 0.0);
    w.carpoolers_by_zone.assign(zones, 0);
    w.passengers_by_zone.assign(n * zones, 0);
    return w;
  }

  // The field list (core/fields.hpp): checkpoints, the per-thread merge and the results.
  template <class V, class... W>
  static void fields(V&& v, W&... w) {
    using D = Dim;
    v(result("vehicle_km_alone", D::Scalar, "vehicle_km_alone", "km",
             "vehicle-kilometres of car commuters driving alone (unmatched carpoolers included)"),
      w.vehicle_km_alone...);
    v(result("vehicle_km_carpool", D::Scalar, "vehicle_km_carpool", "km",
             "vehicle-kilometres of carpool drivers, pick-up detours included"),
      w.vehicle_km_carpool...);
    v(result("passenger_km_carpool", D::Scalar, "passenger_km_carpool", "km",
             "kilometres travelled as carpool passengers"),
      w.passenger_km_carpool...);
    v(result("co2e_kg", D::Scalar, "co2e", "kg",
             "CO2-equivalent emissions of commuting cars, construction included (ADEME factors)"),
      w.co2e_kg...);
    v(result("choosing", D::Mode, "commuters", "person", "car commuters choosing each mode (those on leave aside)"),
      w.choosing...);
    v(result("on_leave", D::Scalar, "commuters_on_leave", "person", "car commuters on leave this week"), w.on_leave...);
    v(result("informal_drivers", D::Scalar, "informal_drivers", "person",
             "matched drivers of carpools without a platform (household members, colleagues)"),
      w.informal_drivers...);
    v(result("informal_passengers", D::Scalar, "informal_passengers", "person",
             "matched passengers of carpools without a platform"),
      w.informal_passengers...);
    v(result("informal_unmatched", D::Scalar, "informal_unmatched", "person",
             "commuters who chose to carpool without a platform but found no partner and drove alone"),
      w.informal_unmatched...);
    v(result("aware", D::CarpoolPlatform, "aware", "person", "residents aware of each platform"), w.aware...);
    v(result("drivers", D::CarpoolPlatform, "carpool_drivers", "person", "matched carpool drivers"), w.drivers...);
    v(result("passengers", D::CarpoolPlatform, "carpool_passengers", "person", "matched carpool passengers"),
      w.passengers...);
    v(result("unmatched", D::CarpoolPlatform, "carpool_unmatched", "person",
             "commuters who chose the platform but found no match and drove alone"),
      w.unmatched...);
    v(result("fares_paid_cents", D::CarpoolPlatform, "fares_paid", "EUR",
             "paid by passengers, the platform's fee included", 100),
      w.fares_paid_cents...);
    v(result("driver_income_cents", D::CarpoolPlatform, "driver_income", "EUR", "fares received by drivers", 100),
      w.driver_income_cents...);
    v(result("fees_cents", D::CarpoolPlatform, "platform_fees", "EUR",
             "fees kept by the platforms (a commission on the fare, or per km)", 100),
      w.fees_cents...);
    v(result("tax_cents", D::CarpoolPlatform, "platform_tax", "EUR", "tax paid by platforms on their commissions", 100),
      w.tax_cents...);
    v(result("incentive_cents", D::CarpoolPlatform, "carpool_incentives", "EUR",
             "paid by the authority to drivers for passenger trips", 100),
      w.incentive_cents...);
    v(kept("households_net_cents"), w.households_net_cents...);
    v(result("vehicle_km_by_zone", D::Zone, "vehicle_km_by_zone", "km",
             "vehicle-kilometres of car commuters, by home zone"),
      w.vehicle_km_by_zone...);
    v(result("carpoolers_by_zone", D::Zone, "carpoolers_by_zone", "person",
             "matched carpool drivers and passengers, by home zone"),
      w.carpoolers_by_zone...);
    v(kept("passengers_by_zone", D::CarpoolPlatformZone), w.passengers_by_zone...);
  }
};

class CarpoolModel {
 public:
  // The residents' awareness at week 0 is drawn on `threads` threads (the same whatever their count).
  CarpoolModel(const Territory& territory, const Residents& residents, const Spec& spec, const Random& random,
               int threads);

  // The phases of one week, in order, under the levers in force (read at the indices of carpooling's
  // platforms in the platform list). The choice and the accounts are loops over the car commuters
  // alone; the choice also gathers the carpoolers that matching pairs (one pass, not two).
  void spread_awareness(std::uint32_t week, const Levers& levers, int threads);
  void choose_modes(std::uint32_t week, const Levers& levers, int threads);
  // Pairs the carpoolers of the week's choice; returns the incentives due for the week (cents),
  // before any budget limit.
  std::int64_t match(std::uint32_t week, const Levers& levers);
  // Accounts the week; incentives due are paid times paid_num / paid_den (the budget's limit).
  CarpoolWeek account(const Levers& levers, std::int64_t paid_num, std::int64_t paid_den, int threads) const;

  const std::vector<std::uint8_t>& awareness() const noexcept { return aware_; }
  // Restores awareness from a checkpoint (the only state carried from week to week).
  void set_awareness(std::vector<std::uint8_t> aware);
  const std::vector<std::uint8_t>& choices() const noexcept { return choice_; }
  const std::vector<Role>& roles() const noexcept { return role_; }
  std::size_t platforms() const noexcept { return platforms_.size(); }
  std::uint8_t informal() const noexcept { return static_cast<std::uint8_t>(platforms_.size() + 1); }
  // One-way fare of a carpool trip between two zones, and the platform's fee on it (a commission
  // on the fare, or per km of the trip); `factor` multiplies the fee (a passed-on tax).
  std::int64_t fare_cents(std::uint32_t home, std::uint32_t work) const;
  std::int64_t fee_cents(std::size_t platform, std::uint32_t home, std::uint32_t work, double factor = 1.0) const;
  // The fee per km of the trip, in EUR, as a commuter weighs it.
  double fee_eur_per_km(std::size_t platform, double factor = 1.0) const;
  // Memory held by the model's per-resident state.
  std::size_t bytes() const noexcept {
    return aware_.capacity() + aware_next_.capacity() + within_.capacity() + choice_.capacity() +
           role_.capacity() * sizeof(Role) + candidates_.capacity() * sizeof(Candidate) +
           commuters_.capacity() * sizeof(Commuter) + commuters_of_chunk_.capacity() * sizeof(std::size_t);
  }

 private:
  // A resident's uniform for a platform: aware at week 0 below its initial awareness, within its
  // potential below awareness_potential (model/awareness.hpp).
  double awareness_draw(std::size_t resident, std::size_t platform) const noexcept;

  const Territory& territory_;
  const Residents& residents_;
  const Spec& spec_;
  Random random_;
  std::vector<const MarketPlatformSpec*> platforms_;
  std::vector<std::size_t> in_list_;              // their indices in the platform list
  std::vector<std::uint8_t> per_km_;              // 1: the platform's fee is per km; 0: a commission on the fare
  std::vector<double> fee_per_km_;                // the platform's fee per km of the trip, EUR, before any tax
  AwarenessHazards hazards_;                      // chance of hearing of each platform this week
  std::vector<std::uint8_t> aware_, aware_next_;  // bit p: aware of platform p
  std::vector<std::uint8_t> within_;              // bit p: within platform p's potential (a week-0 draw)
  std::array<std::int64_t, kMaxCarpoolPlatforms> aware_count_{};  // residents aware of each platform
  // The car commuters, in resident order, with what their weekly choice reads: one contiguous
  // table rather than four of the residents' arrays read at scattered places.
  struct Commuter {
    std::uint64_t stream_key;
    std::uint32_t resident, home, work;
    float km;        // road distance from home to work
    float attitude;  // towards cooperatives
  };
  std::vector<Commuter> commuters_;
  std::vector<std::size_t> commuters_of_chunk_;  // first commuter of each chunk of residents, and the end
  std::vector<std::uint8_t> choice_;             // mode chosen this week (car commuters)
  std::vector<Role> role_;                       // outcome of matching this week
  // A carpooler to pair: their group (mode, home zone, work zone: 64 bits, for territories of tens
  // of thousands of zones) and the resident; sorted by both.
  struct Candidate {
    std::uint64_t group;
    std::uint32_t resident;
    auto operator<=>(const Candidate&) const = default;
  };
  std::vector<Candidate> candidates_;                     // reused: the week's carpoolers
  std::vector<std::vector<Candidate>> chunk_candidates_;  // reused: each chunk of commuters' carpoolers
  void count_aware();
};

}  // namespace coopterra
