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

const std::vector<std::string>& policy_kinds() {
  static const std::vector<std::string> kinds = {
      "carpool_incentive", "awareness_campaign",  "platform_tax", "grant",         "scic_equity",
      "procurement",       "cooperative_network", "in_kind",      "barter_support"};
  return kinds;
}

const std::vector<std::string>& shock_kinds() {
  static const std::vector<std::string> kinds = {"lockdown", "cash_crunch"};
  return kinds;
}

const std::vector<PolicyParameter>& policy_parameters() {
  using K = std::vector<std::string>;
#define POLICY(type, key, member, def, text, lo, hi, unit, desc, src, kinds, required)                              \
  PolicyParameter {                                                                                                 \
    {key, ParamType::type, def, text, lo, hi, {}, unit, desc, src, [](PolicySpec& p) -> void* { return &p.member; }}, kinds, required \
  }
  static const std::vector<PolicyParameter> fields = [] {
    std::vector<PolicyParameter> f = {
        POLICY(String, "kind", kind, 0, "", 0, 0, "", "the kind of policy", "coopterra", K{}, true),
        POLICY(String, "label", label, 0, "", 0, 0, "", "name shown in results (default: the kind and its rank)",
               "label only", K{}, false),
        POLICY(Integer, "start_week", start_week, 1, "", 1, 5200, "week", "first week the policy acts",
               "choice of the authority", K{}, false),
        POLICY(Integer, "end_week", end_week, 0, "", 0, 5200, "week",
               "last week the policy acts (0: until the end of the run)", "choice of the authority", K{}, false),
        POLICY(StringList, "zones", zones, 0, "", 0, 0, "", "communes (INSEE or zone codes) where it acts",
               "choice of the authority; none and no epcis: everywhere", K{}, false),
        POLICY(StringList, "epcis", epcis, 0, "", 0, 0, "", "intercommunalities (EPCI codes) where it acts",
               "choice of the authority", K{}, false),
        POLICY(String, "platform", platform, 0, "", 0, 0, "", "the platform concerned", "choice of the authority",
               (K{"carpool_incentive", "awareness_campaign", "platform_tax", "grant", "scic_equity", "procurement",
                  "in_kind"}),
               true),
        POLICY(Real, "amount_eur", amount_eur, 0, "", 0, 100, "EUR per passenger trip",
               "paid by the authority to the driver for each passenger trip",
               "local carpool subsidies, e.g. 2 EUR per passenger paid to the driver (facts.md)",
               K{"carpool_incentive"}, true),
        POLICY(Real, "reach", reach, 0, "", 0, 1, "share per week",
               "share of the residents unaware of the platform that the campaign makes aware each week",
               "assumption: to be calibrated on campaign evaluations", K{"awareness_campaign"}, true),
        POLICY(Real, "cost_eur", cost_eur, 0, "", 0, 1e9, "EUR", "total cost, spread evenly over its weeks",
               "the authority's budget line", (K{"awareness_campaign", "grant", "cooperative_network"}), true),
        POLICY(Real, "rate", rate, 0, "", 0, 1, "share of commissions",
               "tax on the platform's commission revenue earned in the territory", "choice of the authority",
               K{"platform_tax"}, true),
        POLICY(Real, "commuting_share", commuting_share, 1.0, "", 0, 1, "share of trips",
               "share of commuting trips still made (telework, closures)",
               "choice of the scenario; the spring 2020 lockdown roughly halved commuting in France (est.)",
               K{"lockdown"}, true),
        POLICY(Boolean, "carpooling_allowed", carpooling_allowed, 1.0, "", 0, 1, "",
               "whether health rules let people share a car", "choice of the scenario", K{"lockdown"}, false),
        POLICY(String, "sector", sector, 0, "carpool", 0, 0, "", "the market the policy acts on",
               "choice of the authority",
               (K{"awareness_campaign", "platform_tax", "grant", "scic_equity", "procurement", "in_kind"}), false),
        POLICY(Real, "equity_eur", equity_eur, 0, "", 0, 1e9, "EUR",
               "capital the authority subscribes in each cooperative of the sector, at start_week",
               "SCIC law: local authorities together hold at most 50 % of the capital (facts.md)", K{"scic_equity"},
               true),
        POLICY(Real, "weekly_eur", weekly_eur, 0, "", 0, 1e8, "EUR/week",
               "spent each week the policy acts (procurement: purchases through the channel; in_kind: value of "
               "premises and staff lent)",
               "choice of the authority; e.g. 50 MEUR of France Relance for small communes' canteens (facts.md)",
               (K{"procurement", "in_kind"}), true),
        POLICY(Real, "pooled_share", pooled_share, 0, "", 0, 0.9, "share of fixed costs",
               "share of every cooperative's running costs the network pools away (shared services)",
               "assumption: pooled accounting, software and communication (est.)", K{"cooperative_network"}, true),
        POLICY(Real, "cross_reach", cross_reach, 0, "", 0, 1, "share per week",
               "weekly share of the residents aware of one cooperative who learn of the others (common banner)",
               "assumption: cross-promotion under a common banner (est.)", K{"cooperative_network"}, false),
        POLICY(Real, "fee_share", fee_share, 0, "", 0, 1, "share of the fee",
               "share of a firm's barter membership fee the authority pays", "choice of the authority",
               K{"barter_support"}, true),
        POLICY(Real, "join_multiplier", join_multiplier, 1.0, "", 1, 100, "times",
               "joining the barter network is this many times likelier with the support",
               "assumption: to be calibrated on uptake of supported memberships (est.)", K{"barter_support"}, false),
        POLICY(Boolean, "restaurants_closed", restaurants_closed, 1.0, "", 0, 1, "",
               "whether restaurants are closed to customers (delivery stays possible)",
               "French lockdowns of 2020 (choice of the scenario)", K{"lockdown"}, false),
        POLICY(Real, "delivery_demand_factor", delivery_demand_factor, 1.5, "", 0, 10, "times",
               "meal delivery needs multiplied", "assumption: delivery demand surged in lockdowns (mission.md, est.)",
               K{"lockdown"}, false),
        POLICY(Real, "offline_penalty", offline_penalty, 0.5, "", 0, 20, "utility",
               "utility lost by shopping in person, so that short circuits and delivery gain",
               "assumption: short-circuit demand rose in lockdowns (mission.md, est.)", K{"lockdown"}, false),
        POLICY(Boolean, "travel_allowed", travel_allowed, 0.0, "", 0, 1, "", "whether residents may travel for leisure",
               "French lockdowns of 2020 (choice of the scenario)", K{"lockdown"}, false),
        POLICY(Real, "extra_cost_share", extra_cost_share, 0, "", 0, 2, "share of costs",
               "firms' costs up by this share (suppliers asking cash up front, prices)",
               "choice of the scenario (est.)", K{"cash_crunch"}, true),
        POLICY(Real, "credit_share", credit_share, 0.0, "", 0, 1, "share of the credit line",
               "share of the usual overdraft banks still grant", "choice of the scenario (est.)", K{"cash_crunch"},
               false),
        POLICY(Real, "pass_through", pass_through, 1.0, "", 0, 1, "share",
               "share of the tax the platform passes on to users by raising its commission",
               "assumption: full pass-through (est.)", K{"platform_tax"}, false),
    };
    f[6].choices = {"cooperative", "incumbent"};
    auto& sector = *std::find_if(f.begin(), f.end(), [](const PolicyParameter& p) { return p.key == "sector"; });
    sector.choices = {"carpool"};
    for (std::size_t m = 0; m < kMarkets; ++m) sector.choices.emplace_back(market_key(m));
    sector.choices.emplace_back("barter");
    return f;
  }();
#undef POLICY
  return fields;
}

std::vector<const PolicyParameter*> policy_parameters_of(const std::string& kind) {
  std::vector<const PolicyParameter*> out;
  for (const auto& p : policy_parameters())
    if (p.kinds.empty() || std::find(p.kinds.begin(), p.kinds.end(), kind) != p.kinds.end()) out.push_back(&p);
  return out;
}

}  // namespace coopterra
