#pragma once
// Civil dates of the run's calendar: run.start_date is the first day of week 1, and week w
// starts 7 (w - 1) days later (the results' time coordinate).
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

namespace coopterra {

// A date written YYYY-MM-DD (ISO 8601, proleptic Gregorian calendar), or nullopt for any other
// text, including dates that do not exist (2026-02-30).
inline std::optional<std::chrono::year_month_day> parse_iso_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  const int y = std::stoi(text.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(text.substr(5, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(text.substr(8, 2)));
  const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!date.ok()) return std::nullopt;
  return date;
}

// The date's day of the week, in English ("Monday").
inline const char* weekday_name(const std::chrono::year_month_day& date) {
  static const char* names[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
  return names[std::chrono::weekday{std::chrono::sys_days{date}}.c_encoding()];
}

}  // namespace coopterra
