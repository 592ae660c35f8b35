#pragma once
// One field list per weekly record. Each weekly record (CarpoolWeek, MarketWeek, EconomyWeek,
// LedgerWeek) declares its fields once, in a static function
//
//   template <class V, class... W> static void fields(V&& v, W&... w)
//
// that calls v(Field{...}, w.member...) for every member kept from week to week, in order. The
// checkpoint's save and load (with size checks), the per-thread merge and the description of
// results all go through that list: a new weekly output is its member plus its entry there.
//
// A field is a number (integer or double), a fixed array of numbers, a vector of numbers whose
// size is given by its dimension, or a fixed array of such vectors.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "coopterra/core/bytes.hpp"
#include "coopterra/core/error.hpp"

namespace coopterra {

// What a field is indexed by, beyond the week. The sizes of the dimensions of vectors are the
// run's (FieldSizes); each dimension also names the results' dimensions (field_dims).
enum class Dim : std::uint8_t {
  Scalar,               // one number
  Mode,                 // carpooling's commuting modes: alone, each platform, without a platform
  CarpoolPlatform,      // carpooling's platforms
  CarpoolPlatformZone,  // carpool platform x zone
  Zone,                 // zones (communes)
  Channel,              // channels of the markets (model/markets.hpp)
  ChannelZoneKind,      // channel x kind of commune
  ChannelIncome,        // channel x income group
  MarketZoneKind,       // market x kind of commune
  Platform,             // every platform: of the markets, barter and carpooling
  PlatformCollege,      // platform x college of a cooperative's members
  Sector,               // firm sectors (a fixed array)
  SectorZone,           // firm sector x zone
  Flow,                 // named money flows of the books
  Account,              // accounts of the books
  Count
};

struct Field {
  const char* name;  // the member, for errors
  Dim dim = Dim::Scalar;
  const char* result = nullptr;  // the results' variable holding it (nullptr: not a result of its own)
  const char* units = "";
  const char* description = "";
  double divisor = 1;  // the results hold the value divided by it (cents to EUR: 100, grams to kg: 1000)
};

// A field kept in checkpoints (and merged) but not described in the results on its own.
constexpr Field kept(const char* name, Dim dim = Dim::Scalar) {
  return Field{name, dim};
}
// A field that is also a variable of the results.
constexpr Field result(const char* name, Dim dim, const char* variable, const char* units, const char* description,
                       double divisor = 1) {
  return Field{name, dim, variable, units, description, divisor};
}

// The dimensions of the results' variable of a field, after "week".
inline std::vector<std::string> field_dims(Dim dim) {
  switch (dim) {
    case Dim::Scalar: return {};
    case Dim::Mode: return {"mode"};
    case Dim::CarpoolPlatform: return {"platform"};
    case Dim::CarpoolPlatformZone: return {"platform", "zone"};
    case Dim::Zone: return {"zone"};
    case Dim::Channel: return {"channel"};
    case Dim::ChannelZoneKind: return {"channel", "commune_kind"};
    case Dim::ChannelIncome: return {"channel", "income_group"};
    case Dim::MarketZoneKind: return {"market", "commune_kind"};
    case Dim::Platform: return {"market_platform"};
    case Dim::PlatformCollege: return {"market_platform", "college"};
    case Dim::Sector: return {"firm_sector"};
    case Dim::SectorZone: return {"firm_sector", "zone"};
    case Dim::Flow: return {"flow"};
    case Dim::Account: return {"account"};
    case Dim::Count: break;
  }
  return {};
}

// The size each vector of a dimension must have in this run (checked when a checkpoint is read).
struct FieldSizes {
  std::array<std::size_t, static_cast<std::size_t>(Dim::Count)> size{};
  std::size_t& operator[](Dim d) { return size[static_cast<std::size_t>(d)]; }
  std::size_t operator[](Dim d) const { return size[static_cast<std::size_t>(d)]; }
};

namespace fields_detail {

template <class T>
inline constexpr bool is_vector = false;
template <class T>
inline constexpr bool is_vector<std::vector<T>> = true;
template <class T>
inline constexpr bool is_array_of_vectors = false;
template <class T, std::size_t N>
inline constexpr bool is_array_of_vectors<std::array<std::vector<T>, N>> = true;

template <class T>
void add(T& total, const T& part) {
  if constexpr (std::is_arithmetic_v<T>) {
    total += part;
  } else {
    for (std::size_t i = 0; i < total.size(); ++i) add(total[i], part[i]);
  }
}

template <class T>
void write(Writer& w, const T& v) {
  if constexpr (is_vector<T>) {
    w.vector(v);
  } else if constexpr (is_array_of_vectors<T>) {
    for (const auto& x : v) w.vector(x);
  } else {
    w.value(v);  // a number or a fixed array of numbers
  }
}

template <class T>
void read(Reader& r, const Field& f, const FieldSizes& sizes, T& v) {
  if constexpr (is_vector<T>) {
    v = r.template vector<typename T::value_type>();
    if (v.size() != sizes[f.dim])
      throw InputDataError(std::string("checkpoint is truncated or corrupt (") + f.name + " has " +
                           std::to_string(v.size()) + " values, " + std::to_string(sizes[f.dim]) + " expected)");
  } else if constexpr (is_array_of_vectors<T>) {
    for (auto& x : v) read(r, f, sizes, x);
  } else {
    v = r.template value<T>();
  }
}

}  // namespace fields_detail

// Adds every field of `part` into `total`, element by element (the per-thread merge: fold the
// parts in chunk order for sums of doubles to be the same whatever the thread count).
template <class Record>
void add_fields(Record& total, const Record& part) {
  Record::fields([](const Field&, auto& t, const auto& p) { fields_detail::add(t, p); }, total, part);
}

// Writes every field of a record, in the order of its list.
template <class Record>
void write_fields(Writer& w, const Record& record) {
  Record::fields([&](const Field&, const auto& v) { fields_detail::write(w, v); }, record);
}

// Reads a record written by write_fields; throws InputDataError, naming the field, for a vector
// whose size is not its dimension's in this run.
template <class Record>
Record read_fields(Reader& r, const FieldSizes& sizes) {
  Record record;
  Record::fields([&](const Field& f, auto& v) { fields_detail::read(r, f, sizes, v); }, record);
  return record;
}

}  // namespace coopterra
