#include "engine/rule.h"

#include "engine/finding.h"

namespace akgate {

const char* ActionName(Action a) {
  switch (a) {
    case Action::kBlock:
      return "block";
    case Action::kWarn:
      return "warn";
    case Action::kOff:
      return "off";
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

Status RequireBlockingRule(const RuleSet& rules, const std::string& origin) {
  for (const Rule& r : rules.rules)
    if (r.action == Action::kBlock) return Status::Ok();
  for (const PairRule& p : rules.pairs)
    if (p.action == Action::kBlock) return Status::Ok();
  std::string what = rules.rules.empty() && rules.pairs.empty()
                         ? "defines no rules"
                         : "has " + std::to_string(rules.rules.size()) + " rules and " +
                               std::to_string(rules.pairs.size()) + " pairs, none with action = \"block\"";
  return Status::InvalidArgument(origin + " " + what +
                                 ": a ruleset that cannot block lets every secret through. Start from the built-in "
                                 "rules ([extend] useDefault = true) or give the rules that must stop a push "
                                 "action = \"block\" (in the rule file or the policy's [rules.actions])");
}

const char* SkipReasonName(SkipReason r) {
  switch (r) {
    case SkipReason::kNone:
      return "none";
    case SkipReason::kOversize:
      return "oversize";
    case SkipReason::kBinary:
      return "binary";
    case SkipReason::kMinified:
      return "minified";
    case SkipReason::kAllowlistedPath:
      return "allowlisted-path";
    case SkipReason::kEncrypted:
      return "encrypted";
    case SkipReason::kUnreadableArchive:
      return "unreadable-archive";
    case SkipReason::kArchiveTooLarge:
      return "archive-too-large";
    case SkipReason::kCompressionRatio:
      return "compression-ratio";
    case SkipReason::kNestedTooDeep:
      return "nested-too-deep";
  }
  return "none";
}

}  // namespace akgate
