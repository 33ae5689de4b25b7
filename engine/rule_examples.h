// Trying every rule on its own examples: what `akgate rules test` runs.
//
// A rule or pair may carry, in its rule file, texts it must find
// (`examples`) and texts it must not (`counter_examples`); rule.h's
// RuleExample. CheckRuleExamples scans each one with the whole rule set, as a
// push would be scanned, and says which rule failed and why:
//
//   RuleExampleReport report;
//   AKGATE_RETURN_IF_ERROR(CheckRuleExamples(rules, "", &report));
//   for (const RuleExampleFailure& f : report.failures) std::cout << f.id << ": " << f.what << "\n";
//
// An example is found when a finding names the rule or pair, alone or as a
// part of a pair (an ID's example may be found inside its pair); with a
// `secret`, a finding of the rule must hold exactly that secret (compared by
// fingerprint: findings never hold secrets). A counter-example passes when
// no finding names the rule; other rules may still report on it. A rule whose
// action is "off" (context for a pair) is tried as if it warned. Findings on
// a line with an inline allow marker count: examples test detection, not the
// policy. Built-in rules (rule.h's built_in) must have at least one of each;
// examples stay optional in user and gitleaks files.
#pragma once

#include <string>
#include <vector>

#include "engine/rule.h"
#include "engine/status.h"

namespace akgate {

struct RuleExampleFailure {
  std::string id;    // the rule or pair
  std::string at;    // "FILE:LINE" of the example; empty for a missing example
  std::string what;  // why, for a person; never holds a secret
};

struct RuleExampleReport {
  int rules = 0, pairs = 0;                  // tried
  int examples = 0, counter_examples = 0;    // scanned
  std::vector<RuleExampleFailure> failures;  // in rule-file order
  // Ids with at least one failure, in order, once each.
  std::vector<std::string> FailedIds() const;
};

// Tries the examples of every rule and pair of `rules`, or only of the rule
// or pair `only` (non-empty: kNotFound when there is none). A rule set that
// does not compile is an error, not a failure.
Status CheckRuleExamples(const RuleSet& rules, const std::string& only, RuleExampleReport* out);

}  // namespace akgate
