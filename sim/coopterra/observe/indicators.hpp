#pragma once
// Indicators: the weekly outcomes of a run, kept as time series and described as a Dataset.
#include <vector>

#include "coopterra/model/carpool.hpp"
#include "coopterra/observe/dataset.hpp"
#include "coopterra/observe/ledger.hpp"
#include "coopterra/territory/territory.hpp"

namespace coopterra {

struct Series {
  std::vector<CarpoolWeek> carpool;                     // one entry per simulated week
  std::vector<MarketWeek> markets;                      // the six markets of residents
  std::vector<EconomyWeek> economy;                     // firms, barter, platforms
  std::vector<LedgerWeek> ledger;                       // the money flows and balances of each week
  std::vector<std::vector<std::int64_t>> policy_cents;  // spending of each policy, each week
  std::size_t weeks() const noexcept { return carpool.size(); }
};

// Coordinates (week, mode, platform, zone), the indicator variables with units and descriptions,
// and the zones' static attributes. Attributes (provenance) are added by the caller.
Dataset describe(const Series& series, const Territory& territory, const Spec& spec,
                 const std::vector<PlatformInfo>& platforms, const std::vector<Channel>& channels, const Books& books);

}  // namespace coopterra
