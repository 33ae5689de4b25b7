#include "engine/rule.h"

#include "engine/finding.h"

namespace akgate {

const char* ActionName(Action a) {
  switch (a) {
    case Action::kBlock: return "block";
    case Action::kWarn: return "warn";
    case Action::kOff: return "off";
  }
  return "off";
}

std::optional<Action> ParseAction(const std::string& s) {
  if (s == "block") return Action::kBlock;
  if (s == "warn") return Action::kWarn;
  if (s == "off") return Action::kOff;
  return std::nullopt;
}

const Rule* RuleSet::FindRule(const std::string& id) const {
  for (const Rule& r : rules)
    if (r.id == id) return &r;
  return nullptr;
}

const char* SkipReasonName(SkipReason r) {
  switch (r) {
    case SkipReason::kNone: return "none";
    case SkipReason::kOversize: return "oversize";
    case SkipReason::kBinary: return "binary";
    case SkipReason::kMinified: return "minified";
    case SkipReason::kAllowlistedPath: return "allowlisted-path";
  }
  return "none";
}

}  // namespace akgate
