// The rules a push is checked with: the policy's rule files (or the built-in
// rules) with the policy's overrides applied before they are compiled.
//
//   [rules] files         loaded in order; a later file's rule or pair with
//                         the same id replaces an earlier one
//   [rules.actions]       per rule or pair: block / warn / off
//   [allowlist] paths     added to the rules' global path allowlist (files
//                         under those paths are skipped, and counted)
//   [limits] max_file_size  larger files are skipped, and counted
//
// Fingerprint allowlists and akgate:allow lines are not applied in the
// engine: the decision applies them ([allowlist] inline), so allowed findings
// are still shown, audited and notified.
#pragma once

#include <string>
#include <vector>

#include "engine/rule.h"
#include "engine/status.h"
#include "policy/policy.h"

namespace akgate {

// Fills *out. *warnings gets non-fatal problems (an action for a rule id
// that no rule has), for the audit record and the pusher.
Status BuildRules(const Policy& policy, RuleSet* out, std::vector<std::string>* warnings);

}  // namespace akgate
