#include "policy/policy_rules.h"

#include "engine/rule_loader.h"

namespace akgate {

namespace {

// `more` laid over `base`: same ids replace, new ones are added.
void Merge(RuleSet&& more, RuleSet* base) {
  for (Rule& r : more.rules) {
    bool replaced = false;
    for (Rule& b : base->rules)
      if (b.id == r.id) {
        b = r;
        replaced = true;
      }
    if (!replaced) base->rules.push_back(std::move(r));
  }
  for (PairRule& p : more.pairs) {
    bool replaced = false;
    for (PairRule& b : base->pairs)
      if (b.id == p.id) {
        b = p;
        replaced = true;
      }
    if (!replaced) base->pairs.push_back(std::move(p));
  }
  auto append = [](std::vector<std::string>& to, const std::vector<std::string>& from) {
    to.insert(to.end(), from.begin(), from.end());
  };
  append(base->allowlist.regexes, more.allowlist.regexes);
  append(base->allowlist.stopwords, more.allowlist.stopwords);
  append(base->allowlist.paths, more.allowlist.paths);
  append(base->allowlist.fingerprints, more.allowlist.fingerprints);
  append(base->base64_triggers, more.base64_triggers);
}

}  // namespace

Status BuildRules(const Policy& policy, RuleSet* out, std::vector<std::string>* warnings) {
  RuleSet rules;
  Status s;
  if (policy.rule_files.empty()) {
    s = LoadDefaultRules(&rules);
  } else {
    for (size_t i = 0; i < policy.rule_files.size() && s.ok(); ++i) {
      RuleSet one;
      s = LoadRulesFromFile(policy.rule_files[i], &one);
      if (!s.ok()) break;
      if (i == 0)
        rules = std::move(one);
      else
        Merge(std::move(one), &rules);
    }
  }
  if (!s.ok()) return s;

  for (const auto& [id, action] : policy.rule_actions) {
    bool found = false;
    for (Rule& r : rules.rules)
      if (r.id == id) {
        r.action = action;
        found = true;
      }
    for (PairRule& p : rules.pairs)
      if (p.id == id) {
        p.action = action;
        found = true;
      }
    if (!found) warnings->push_back("policy [rules.actions] names \"" + id + "\", which no rule has");
  }

  if (!policy.allow_paths.empty()) {
    if (rules.allowlist.condition == Allowlist::Condition::kAnd && !rules.allowlist.empty())
      return Status::InvalidArgument(
          "policy [allowlist] paths cannot be combined with the rules' global allowlist, "
          "whose condition is AND; put the paths in the rule file instead");
    rules.allowlist.paths.insert(rules.allowlist.paths.end(), policy.allow_paths.begin(), policy.allow_paths.end());
  }
  std::string origin = policy.rule_files.empty() ? "<default rules>" : "rule file";
  if (!policy.rule_files.empty()) {
    if (policy.rule_files.size() > 1) origin += "s";
    for (size_t i = 0; i < policy.rule_files.size(); ++i) origin += (i ? ", " : " ") + policy.rule_files[i];
  }
  if (!policy.rule_actions.empty()) origin = "the policy's [rules.actions] over " + origin + ",";
  s = RequireBlockingRule(rules, origin);
  if (!s.ok()) return s;
  if (policy.max_file_bytes) rules.limits.max_fragment_bytes = policy.max_file_bytes;
  if (policy.unscannable) rules.limits.unscannable = *policy.unscannable;
  *out = std::move(rules);
  return Status::Ok();
}

}  // namespace akgate
