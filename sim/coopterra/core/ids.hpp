#pragma once
// Strong id types: a zone index cannot be passed where a resident index is expected.
#include <cstdint>
#include <limits>

namespace coopterra {

template <class Tag, class Rep = std::uint32_t>
struct Id {
  Rep value = std::numeric_limits<Rep>::max();
  constexpr Id() = default;
  constexpr explicit Id(Rep v) : value(v) {}
  constexpr bool valid() const { return value != std::numeric_limits<Rep>::max(); }
  friend constexpr bool operator==(Id, Id) = default;
  friend constexpr auto operator<=>(Id, Id) = default;
};

using ZoneId = Id<struct ZoneTag>;
using ResidentId = Id<struct ResidentTag>;
using PlatformId = Id<struct PlatformTag, std::uint8_t>;

}  // namespace coopterra
