#include "coopterra/scenario/parameters.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace coopterra {

const char* to_string(ParamType type) noexcept {
  switch (type) {
    case ParamType::Integer: return "integer";
    case ParamType::Real: return "number";
    case ParamType::Boolean: return "boolean";
    case ParamType::String: return "string";
    case ParamType::StringList: return "list of strings";
    case ParamType::RealList: return "list of numbers";
  }
  return "value";
}

namespace {

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Shortest text that reads back to the same double, always with a fraction or exponent.
std::string real_text(double v) {
  char buf[40];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string t = buf;
  if (t.find_first_of(".eEn") == std::string::npos) t += ".0";
  return t;
}

}  // namespace

template <class Target>
std::string BasicParameter<Target>::value_text(const Target& s) const {
  Target& m = const_cast<Target&>(s);
  switch (type) {
    case ParamType::Integer: return std::to_string(as_integer(m));
    case ParamType::Boolean: return as_boolean(m) ? "true" : "false";
    case ParamType::String: return quote(as_string(m));
    case ParamType::Real: return real_text(as_real(m));
    case ParamType::StringList: {
      std::string t = "[";
      for (const auto& v : as_strings(m)) t += (t.size() > 1 ? ", " : "") + quote(v);
      return t + "]";
    }
    case ParamType::RealList: {
      std::string t = "[";
      for (double v : as_reals(m)) t += (t.size() > 1 ? ", " : "") + real_text(v);
      return t + "]";
    }
  }
  return {};
}

template <class Target>
void BasicParameter<Target>::set_default(Target& s) const {
  switch (type) {
    case ParamType::Integer: as_integer(s) = static_cast<std::int64_t>(default_number); break;
    case ParamType::Real: as_real(s) = default_number; break;
    case ParamType::Boolean: as_boolean(s) = default_number != 0.0; break;
    case ParamType::String: as_string(s) = default_text; break;
    case ParamType::StringList: as_strings(s) = default_strings; break;
    case ParamType::RealList: as_reals(s) = default_reals; break;
  }
}

template struct BasicParameter<Spec>;
template struct BasicParameter<PolicySpec>;

// policy_kinds(), shock_kinds() and the policies' fields: policy/kinds.cpp, from each kind's definition.

}  // namespace coopterra
