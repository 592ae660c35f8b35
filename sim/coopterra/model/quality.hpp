#pragma once
// Platform quality: what a platform's users and investment are worth to a buyer, in utility
// (docs/model.md, "Platform quality"). Two saturating terms, each below its maximum whatever the
// platform's size: network effects of its weekly users, in the territory and beyond it (an
// incumbent's national user base), and the stock of investment in quality, in the territory and
// beyond it, which depreciates. Both are Michaelis-Menten curves, x / (x + reference): half the
// maximum at the reference, linear below it, flat far above it.
#include <cmath>

#include "coopterra/scenario/spec.hpp"

namespace coopterra {

inline double saturating(double x, double reference) noexcept {
  return x > 0 ? x / (x + reference) : 0.0;
}

// Quality of a platform with `users` weekly users and `investment_eur` of investment stock (both
// the territory's plus the platform's national ones).
inline double platform_quality(const CooperativesSpec& co, double users, double investment_eur) noexcept {
  return co.network_effect * saturating(users, co.users_reference) +
         co.investment_effect * saturating(investment_eur, co.investment_reference_eur);
}

// What is left of an investment stock after one week, when a share `per_year` is lost in a year.
inline double weekly_retention(double per_year) noexcept {
  return std::pow(1.0 - per_year, 1.0 / 52.0);
}

}  // namespace coopterra
