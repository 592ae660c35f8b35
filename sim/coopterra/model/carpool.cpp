#include "coopterra/model/carpool.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "coopterra/core/error.hpp"
#include "coopterra/core/parallel.hpp"

namespace coopterra {

namespace {
// Slots of each resident's Stream (see core/random.hpp): awareness of platform p in half p % 2 of
// slot aware_slot(p), the exponentials of the mode choice in 121 (driving alone), choice_slot(p)
// (platform p) and 125 (without a platform), the roles of a pair in 124 (its first member's), leave
// in 126. Platforms 0 and 1 keep the slots they had when carpooling had two.
constexpr std::uint32_t kChoiceSlot = 121, kRoleSlot = 124, kInformalSlot = 125, kLeaveSlot = 126;
constexpr std::uint32_t aware_slot(std::size_t p) {
  return p < 2 ? 120 : 128 + static_cast<std::uint32_t>(p - 2) / 2;
}
constexpr std::uint32_t choice_slot(std::size_t p) {
  return p < 2 ? 122 + static_cast<std::uint32_t>(p) : 132 + static_cast<std::uint32_t>(p);
}
static_assert(kMaxCarpoolPlatforms <= 8, "awareness of the carpool platforms is a byte of bits");

// The levers of carpooling's platforms, resolved once a week from the set of levers at their
// indices in the platform list (nullptr: nowhere in force), for the loops over residents.
struct PlatformLevers {
  std::array<const std::int64_t*, kMaxCarpoolPlatforms> incentive{};
  std::array<const double*, kMaxCarpoolPlatforms> reach{}, tax{}, pass_through{};
  std::uint8_t open = 0;  // bit p: platform p still open

  PlatformLevers(const Levers& l, const std::vector<std::size_t>& q) {
    for (std::size_t p = 0; p < q.size(); ++p) {
      incentive[p] = Levers::of(l.incentive_cents, q[p]);
      reach[p] = Levers::of(l.campaign_reach, q[p]);
      tax[p] = Levers::of(l.tax_rate, q[p]);
      pass_through[p] = tax[p] ? l.pass_through[q[p]].data() : nullptr;
      open = static_cast<std::uint8_t>(open | (l.is_open(q[p]) << p));
    }
  }
  std::int64_t incentive_at(std::size_t p, std::uint32_t z) const { return incentive[p] ? incentive[p][z] : 0; }
  double tax_at(std::size_t p, std::uint32_t z) const { return tax[p] ? tax[p][z] : 0.0; }
  // Multiplier of the platform's fee: 1 + tax x pass-through.
  double commission_factor(std::size_t p, std::uint32_t z) const {
    return tax[p] ? 1.0 + tax[p][z] * pass_through[p][z] : 1.0;
  }
};
}  // namespace

CarpoolModel::CarpoolModel(const Territory& territory, const Residents& residents, const Spec& spec,
                           const Random& random, int threads)
    : territory_(territory),
      residents_(residents),
      spec_(spec),
      random_(random),
      in_list_(carpool_platforms(list_platforms(spec))),
      aware_(residents.size()),
      aware_next_(residents.size()),
      within_(residents.size()),
      choice_(residents.size()),
      role_(residents.size(), Role::None) {
  for (const auto& c : carpool_platform_list(spec.carpool)) {
    platforms_.push_back(c.platform);
    per_km_.push_back(c.platform->fee_model == "per_km");
    fee_per_km_.push_back(per_km_.back() ? c.platform->fee_eur_per_km
                                         : spec.carpool.fare_eur_per_km * c.platform->commission);
  }
  ensure(!platforms_.empty() && platforms_.size() <= kMaxCarpoolPlatforms, "carpool: 1 to 8 platforms");
  // Awareness at week 0 and who is within each potential: a draw per resident and platform.
  parallel_chunks(residents.size(), threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      std::uint8_t bits = 0, within = 0;
      for (std::size_t p = 0; p < platforms_.size(); ++p) {
        const double u = awareness_draw(i, p);
        if (u < platforms_[p]->initial_awareness) bits |= static_cast<std::uint8_t>(1u << p);
        if (u < awareness_potential(*platforms_[p])) within |= static_cast<std::uint8_t>(1u << p);
      }
      aware_[i] = bits;
      within_[i] = within;
    }
  });
  for (std::size_t i = 0; i < residents.size(); ++i)
    if (residents.car_commuter(i))
      commuters_.push_back({residents.stream_key[i], static_cast<std::uint32_t>(i), residents.home[i],
                            residents.work[i],
                            territory.road_km(static_cast<Eigen::Index>(residents.home[i]),
                                              static_cast<Eigen::Index>(residents.work[i])),
                            residents.coop_attitude[i]});
  commuters_.shrink_to_fit();
  // Where each chunk of residents starts in the commuters: the accounts sum by chunk of residents,
  // so that their floating-point sums are grouped as they were before the commuters' table.
  const std::size_t chunks = chunk_count(residents.size());
  commuters_of_chunk_.resize(chunks + 1);
  for (std::size_t c = 0; c <= chunks; ++c)
    commuters_of_chunk_[c] =
        static_cast<std::size_t>(std::lower_bound(commuters_.begin(), commuters_.end(), c * kChunkSize,
                                                  [](const Commuter& m, std::size_t i) { return m.resident < i; }) -
                                 commuters_.begin());
  count_aware();
}

void CarpoolModel::set_awareness(std::vector<std::uint8_t> aware) {
  aware_ = std::move(aware);
  count_aware();
}

void CarpoolModel::count_aware() {
  aware_count_.fill(0);
  for (const std::uint8_t bits : aware_)
    for (std::size_t p = 0; p < platforms_.size(); ++p) aware_count_[p] += (bits >> p) & 1u;
}

double CarpoolModel::awareness_draw(std::size_t resident, std::size_t platform) const noexcept {
  return random_.uniform(Purpose::InitialAwareness, resident, 0, static_cast<std::uint16_t>(platform));
}

void CarpoolModel::spread_awareness(std::uint32_t week, const Levers& levers, int threads) {
  const std::uint32_t k = residents_.ties_per_resident;
  const PlatformLevers l(levers, in_list_);
  const std::size_t n = platforms_.size();
  bool campaigns = false;
  for (std::size_t p = 0; p < n; ++p) campaigns = campaigns || l.reach[p];
  hazards_.build(
      n, k, territory_.zones.size(), campaigns,
      [&](std::size_t p) {
        return std::pair{platforms_[p]->bass_p, platforms_[p]->bass_q};
      },
      [&](std::size_t p, std::uint32_t z) { return l.reach[p] ? l.reach[p][z] : 0.0; },
      [](std::size_t) { return 0.0; });
  // A resident can hear of a platform they do not know only where its chance is above 0: within
  // its potential, where word of mouth or a campaign reaches; outside it, where a campaign does.
  // Most residents can hear of none (outside the potentials, without a campaign): no draw at all.
  const std::size_t rows = campaigns ? territory_.zones.size() : 1;
  std::vector<AwarenessHazards::FirstBytes> first(rows);
  for (std::size_t z = 0; z < rows; ++z) first[z] = hazards_.first(static_cast<std::uint32_t>(z), 0);
  // Counted on the way: those who heard of each platform this week.
  using Counts = std::array<std::int64_t, kMaxCarpoolPlatforms>;
  const Counts heard = parallel_reduce(
      residents_.size(), threads, Counts{},
      [&](std::size_t begin, std::size_t end, Counts& acc) {
        // Raw pointers: a store of a byte may alias any member, which the compiler would reload.
        const std::uint8_t* const aware = aware_.data();
        const std::uint8_t* const within_of = within_.data();
        const std::uint32_t* const home_of = residents_.home.data();
        const AwarenessHazards::FirstBytes* const reach = first.data();
        std::uint8_t* const out = aware_next_.data();
        // Two passes: who can hear of a platform they do not know (few), listed without a branch;
        // then their draws.
        std::array<std::uint32_t, kChunkSize> can_hear;
        std::size_t listed = 0;
        for (std::size_t i = begin; i < end; ++i) {
          const std::uint8_t bits = aware[i], within = within_of[i];
          const std::size_t row = rows > 1 ? home_of[i] : 0;
          out[i] = bits;
          can_hear[listed] = static_cast<std::uint32_t>(i);
          listed += (~bits & reach[row].reachable(within) & 0xffu) != 0;
        }
        for (std::size_t x = 0; x < listed; ++x) {
          const std::size_t i = can_hear[x];
          const std::uint8_t bits = aware[i], within = within_of[i];
          const std::uint32_t home = home_of[i];
          const auto can = static_cast<std::uint8_t>(~bits & reach[rows > 1 ? home : 0].reachable(within));
          // One slot holds the draws of two platforms. The chance grows with the aware ties: a draw
          // above the chance with every tie aware is decided without counting them.
          const Stream stream(residents_.stream_key[i], week);
          std::array<std::uint32_t, kMaxCarpoolPlatforms> draw{};
          for (std::size_t p = 0; p < n; p += 2) {
            const std::uint64_t word = stream.bits(aware_slot(p));
            draw[p] = static_cast<std::uint32_t>(word), draw[p + 1] = static_cast<std::uint32_t>(word >> 32);
          }
          const std::uint64_t* max_chance = hazards_.max_row(home, 0);
          std::uint8_t next = bits;
          unsigned maybe = 0;
          for (unsigned p = 0; p < n; ++p) {
            if (!((can >> p) & 1u)) continue;
            if (!((within >> p) & 1u)) {  // outside the potential: campaigns only (model/awareness.hpp)
              if (draw[p] < hazards_.outside(home, 0, p)) next = static_cast<std::uint8_t>(next | (1u << p));
            } else if (draw[p] < max_chance[p]) {
              maybe |= 1u << p;
            }
          }
          if (maybe) {  // word of mouth within the potential: count the aware ties
            const std::uint32_t* tie = &residents_.ties[i * k];
            std::array<std::uint32_t, kMaxCarpoolPlatforms> aware_ties_of{};
            for (std::uint32_t j = 0; j < k; ++j)
              for (std::size_t r = 0; r < n; ++r) aware_ties_of[r] += (aware[tie[j]] >> r) & 1u;
            for (unsigned p = 0; p < n; ++p)
              if (((maybe >> p) & 1u) && draw[p] < hazards_.at(home, 0, p, aware_ties_of[p]))
                next = static_cast<std::uint8_t>(next | (1u << p));
          }
          out[i] = next;
          for (std::uint8_t learnt = next & ~bits; learnt; learnt &= static_cast<std::uint8_t>(learnt - 1))
            ++acc[static_cast<std::size_t>(std::countr_zero(learnt))];
        }
      },
      [n](Counts& total, const Counts& part) {
        for (std::size_t p = 0; p < n; ++p) total[p] += part[p];
      });
  for (std::size_t p = 0; p < n; ++p) aware_count_[p] += heard[p];
  aware_.swap(aware_next_);
}

void CarpoolModel::choose_modes(std::uint32_t week, const Levers& levers, int threads) {
  const auto& c = spec_.carpool;
  const std::int64_t usual_trips = 2 * c.workdays_per_week;
  const double beta_time = c.beta_cost_per_eur * c.value_of_time_eur_per_hour;  // per hour
  const PlatformLevers l(levers, in_list_);
  const std::uint8_t informal = this->informal();
  const std::uint64_t leave = StreamPairs::threshold32(c.weeks_of_leave / 52.0);
  // Those who carpool are gathered by chunk of commuters for matching, with their group (mode,
  // home zone, work zone); those who drive alone are done.
  const std::size_t zones = territory_.zones.size();
  chunk_candidates_.resize(chunk_count(commuters_.size()));
  parallel_chunks(commuters_.size(), threads, [&](std::size_t begin, std::size_t end) {
    auto& carpoolers = chunk_candidates_[begin / kChunkSize];
    carpoolers.clear();
    // Raw pointers: a store of a byte may alias any member, which the compiler would reload.
    const Commuter* const commuter = commuters_.data();
    const std::uint8_t* const aware = aware_.data();
    std::uint8_t* const choice = choice_.data();
    Role* const role = role_.data();
    for (std::size_t at = begin; at < end; ++at) {
      const Commuter& m = commuter[at];
      const std::uint32_t i = m.resident;
      const Stream stream(m.stream_key, week);
      if ((stream.bits(kLeaveSlot) >> 32) < leave) {  // on leave this week: no trip to work
        choice[i] = kOnLeave;
        role[i] = Role::None;
        continue;
      }
      // With sharing forbidden, driving alone is the only option.
      const auto known = static_cast<std::uint8_t>(aware[i] & l.open);
      if (!levers.carpool_allowed(m.home)) {
        choice[i] = 0;
        role[i] = Role::Alone;
        continue;
      }
      const double d = m.km;
      const double trips = static_cast<double>(levers.trips(m.home, usual_trips));
      const double cost_alone = c.car_cost_eur_per_km * d * trips;
      // Random utility with Gumbel-distributed tastes, one draw per mode (the logit model):
      // choosing the mode of highest V + G, written as the least E exp(-V) with E exponential
      // (G = -ln E), each E from its own slot. A policy that changes one mode's utility changes
      // only the choices of those it concerns: common random numbers at the level of each mode.
      // Utilities first (driving alone: V = 0), so that weights exp(V_best - V) stay >= 1: a score
      // never rounds to 0, and one beyond e^709 belongs to a mode that cannot win.
      std::array<double, kMaxCarpoolPlatforms> v{};
      // Without a platform: half the weeks as driver (car cost with detour), half as passenger
      // (costs shared in the household or among colleagues: nothing booked).
      const double v_informal =
          c.informal_asc +
          c.beta_cost_per_eur * (cost_alone - trips * 0.5 * c.car_cost_eur_per_km * (d + c.detour_km)) -
          beta_time * c.detour_minutes * trips / 60.0;
      double v_best = std::max(0.0, v_informal);
      for (unsigned left = known; left; left &= left - 1) {  // an unknown or closed platform cannot be chosen
        const auto p = static_cast<std::size_t>(std::countr_zero(left));
        // Half the weeks as driver (car cost with detour, fare and any incentive received), half
        // as passenger (fare plus the platform's fee paid, the fee raised by a passed-on tax).
        const double fee = fee_eur_per_km(p, l.commission_factor(p, m.home));
        const double incentive = static_cast<double>(l.incentive_at(p, m.home)) / 100.0;
        const double cost = trips * 0.5 * (c.car_cost_eur_per_km * (d + c.detour_km) + fee * d - incentive);
        v[p] = c.asc + c.beta_cost_per_eur * (cost_alone - cost) - beta_time * c.detour_minutes * trips / 60.0;
        if (p == 0) v[p] += c.beta_coop_attitude * (m.attitude - 0.5);
        v_best = std::max(v_best, v[p]);
      }
      std::uint8_t mode = 0;
      // exp(0) = 1 exactly: the weight of the best mode needs no exponential.
      double best = stream.exponential(kChoiceSlot) * (v_best > 0 ? std::exp(v_best) : 1.0);
      {
        const double weight = v_informal == v_best ? 1.0 : std::exp(v_best - v_informal);
        const double score = stream.exponential(kInformalSlot) * weight;
        if (score < best) best = score, mode = informal;
      }
      for (unsigned left = known; left; left &= left - 1) {
        const auto p = static_cast<std::size_t>(std::countr_zero(left));
        const double weight = v[p] == v_best ? 1.0 : std::exp(v_best - v[p]);
        const double score = stream.exponential(choice_slot(p)) * weight;
        if (score < best) best = score, mode = static_cast<std::uint8_t>(p + 1);
      }
      choice[i] = mode;
      if (mode == 0) {
        role[i] = Role::Alone;
        continue;
      }
      const std::uint64_t group = (std::uint64_t{mode} * zones + m.home) * zones + m.work;
      carpoolers.push_back({group, i});
    }
  });
}

std::int64_t CarpoolModel::match(std::uint32_t week, const Levers& levers) {
  // Pair the carpoolers of each group (platform, home zone, work zone) in resident order. The
  // choice gathered them by chunk; the sort by (group, resident) makes the order the same
  // whatever the thread count.
  candidates_.clear();
  for (const auto& part : chunk_candidates_) candidates_.insert(candidates_.end(), part.begin(), part.end());
  std::sort(candidates_.begin(), candidates_.end());
  std::size_t a = 0;
  while (a < candidates_.size()) {
    std::size_t b = a;
    while (b < candidates_.size() && candidates_[b].group == candidates_[a].group) ++b;
    std::size_t i = a;
    for (; i + 1 < b; i += 2) {
      const std::uint32_t first = candidates_[i].resident, second = candidates_[i + 1].resident;
      const Stream stream(residents_.stream_key[first], week);
      const bool first_drives = (stream.bits(kRoleSlot) >> 63) == 0;
      role_[first] = first_drives ? Role::Driver : Role::Passenger;
      role_[second] = first_drives ? Role::Passenger : Role::Driver;
    }
    if (i < b) role_[candidates_[i].resident] = Role::Unmatched;
    a = b;
  }
  // Incentives due: one per passenger trip, by the passenger's platform and home zone.
  const std::int64_t usual_trips = 2 * spec_.carpool.workdays_per_week;
  const PlatformLevers l(levers, in_list_);
  std::int64_t due = 0;
  for (const Candidate& c : candidates_) {
    const std::uint32_t i = c.resident;
    const std::uint32_t home = residents_.home[i];
    if (role_[i] == Role::Passenger && choice_[i] != informal())
      due += l.incentive_at(choice_[i] - 1u, home) * levers.trips(home, usual_trips);
  }
  return due;
}

std::int64_t CarpoolModel::fare_cents(std::uint32_t home, std::uint32_t work) const {
  const double km = territory_.road_km(static_cast<Eigen::Index>(home), static_cast<Eigen::Index>(work));
  return std::llround(spec_.carpool.fare_eur_per_km * km * 100.0);
}

std::int64_t CarpoolModel::fee_cents(std::size_t platform, std::uint32_t home, std::uint32_t work,
                                     double factor) const {
  if (per_km_[platform]) {
    const double km = territory_.road_km(static_cast<Eigen::Index>(home), static_cast<Eigen::Index>(work));
    return std::llround(fee_per_km_[platform] * km * 100.0 * factor);
  }
  return std::llround(static_cast<double>(fare_cents(home, work)) * platforms_[platform]->commission * factor);
}

double CarpoolModel::fee_eur_per_km(std::size_t platform, double factor) const {
  return fee_per_km_[platform] * factor;
}

CarpoolWeek CarpoolModel::account(const Levers& levers, std::int64_t paid_num, std::int64_t paid_den,
                                  int threads) const {
  const auto& c = spec_.carpool;
  const std::int64_t usual_trips = 2 * c.workdays_per_week;
  const std::size_t zones = territory_.zones.size();
  const PlatformLevers l(levers, in_list_);
  const std::size_t n = platforms_.size();
  const std::uint8_t informal = this->informal();
  CarpoolWeek week = parallel_reduce(
      residents_.size(), threads, CarpoolWeek::zeros(n, zones),
      [&](std::size_t begin, std::size_t, CarpoolWeek& acc) {
        const std::size_t chunk = begin / kChunkSize;
        for (std::size_t at = commuters_of_chunk_[chunk]; at < commuters_of_chunk_[chunk + 1]; ++at) {
          const Commuter& m = commuters_[at];
          const std::uint32_t i = m.resident;
          if (choice_[i] == kOnLeave) {
            acc.on_leave += 1;
            continue;
          }
          const std::uint32_t h = m.home, w = m.work;
          const std::int64_t trips = levers.trips(h, usual_trips);
          const double d = m.km;
          const double per_km = (residents_.flags[i] & Residents::ElectricCar) ? spec_.emissions.electric_car_kg_per_km
                                                                               : spec_.emissions.thermal_car_kg_per_km;
          acc.choosing[choice_[i]] += 1;
          const std::size_t p = choice_[i] > 0 ? choice_[i] - 1u : 0u;
          double vkm = 0.0;
          if (choice_[i] == informal) {  // no platform, no money booked
            vkm = role_[i] == Role::Driver      ? (d + c.detour_km) * static_cast<double>(trips)
                  : role_[i] == Role::Passenger ? 0.0
                                                : d * static_cast<double>(trips);
            (role_[i] == Role::Driver ? acc.vehicle_km_carpool : acc.vehicle_km_alone) += vkm;
            if (role_[i] == Role::Passenger) acc.passenger_km_carpool += d * static_cast<double>(trips);
            (role_[i] == Role::Driver      ? acc.informal_drivers
             : role_[i] == Role::Passenger ? acc.informal_passengers
                                           : acc.informal_unmatched) += 1;
            if (role_[i] != Role::Unmatched) acc.carpoolers_by_zone[h] += 1;
            acc.co2e_kg += vkm * per_km;
            acc.vehicle_km_by_zone[h] += vkm;
            continue;
          }
          switch (role_[i]) {
            case Role::Alone:
              vkm = d * static_cast<double>(trips);
              acc.vehicle_km_alone += vkm;
              break;
            case Role::Unmatched:
              vkm = d * static_cast<double>(trips);
              acc.vehicle_km_alone += vkm;
              acc.unmatched[p] += 1;
              break;
            case Role::Driver: {
              vkm = (d + c.detour_km) * static_cast<double>(trips);
              acc.vehicle_km_carpool += vkm;
              acc.drivers[p] += 1;
              acc.driver_income_cents[p] += fare_cents(h, w) * trips;
              acc.households_net_cents += fare_cents(h, w) * trips;
              acc.carpoolers_by_zone[h] += 1;
              break;
            }
            case Role::Passenger: {
              // The passenger pays fare and commission; the platform pays its tax; the authority
              // pays the driver the incentive of the passenger's trip (within its budget).
              const std::int64_t fare = fare_cents(h, w);
              const std::int64_t fee = fee_cents(p, h, w, l.commission_factor(p, h));
              const std::int64_t tax = std::llround(static_cast<double>(fee) * l.tax_at(p, h));
              acc.passenger_km_carpool += d * static_cast<double>(trips);
              acc.passengers[p] += 1;
              acc.fares_paid_cents[p] += (fare + fee) * trips;
              acc.fees_cents[p] += fee * trips;
              acc.tax_cents[p] += tax * trips;
              acc.households_net_cents -= (fare + fee) * trips;
              const std::int64_t incentive = l.incentive_at(p, h) * trips * paid_num / paid_den;
              acc.incentive_cents[p] += incentive;
              acc.households_net_cents += incentive;
              acc.carpoolers_by_zone[h] += 1;
              acc.passengers_by_zone[p * zones + h] += 1;
              break;
            }
            case Role::None: break;
          }
          acc.co2e_kg += vkm * per_km;
          acc.vehicle_km_by_zone[h] += vkm;
        }
      },
      [](CarpoolWeek& total, const CarpoolWeek& part) { add_fields(total, part); });
  std::copy_n(aware_count_.begin(), n, week.aware.begin());
  // Conservation laws of the week: every passenger has a driver, every cent paid is received.
  ensure(week.informal_drivers == week.informal_passengers, "carpool: informal drivers and passengers differ");
  ensure(week.choosing[informal] == week.informal_drivers + week.informal_passengers + week.informal_unmatched,
         "carpool: informal choosers differ from drivers, passengers and unmatched");
  for (std::size_t p = 0; p < n; ++p) {
    ensure(week.drivers[p] == week.passengers[p], "carpool: drivers and passengers differ");
    ensure(week.fares_paid_cents[p] == week.driver_income_cents[p] + week.fees_cents[p],
           "carpool: fares paid differ from driver income plus platform fees");
    ensure(week.choosing[p + 1] == week.drivers[p] + week.passengers[p] + week.unmatched[p],
           "carpool: choosers differ from drivers, passengers and unmatched");
  }
  return week;
}

}  // namespace coopterra
