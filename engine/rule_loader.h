// Reading rule files (TOML) into a RuleSet.
//
// One schema serves akgate's own files and gitleaks v8 files: akgate's keys
// are a superset of gitleaks' ([[rules]] id/description/regex/secretGroup/
// entropy/keywords/path/allowlist(s)/tags, [allowlist], [extend]). akgate adds
// provider, action, validator, [[pairs]], [limits] and [decode].
//
//   [extend] useDefault = true     start from akgate's default rules; a rule
//                                  with the same id replaces the default one
//   [extend] path = "other.toml"   start from another file (relative to this)
//   [extend] disabledRules = [..]  drop these ids from what was extended
//
// Every error names the file and line, the rule id and the reason; a regex
// that RE2 cannot compile is reported with RE2's message. A key akgate does
// not know is an error (a misspelt `actoin` must not silently leave a rule at
// "warn"), with a "did you mean". gitleaks keys that akgate reads but does not
// apply are accepted only where ignoring them can only report more (an
// allowlist's `commits`, a rule's `required` / `skipReport`), with a warning in
// RuleSet::load_warnings for `akgate rules check`; a global allowlist's
// `targetRules` is honoured (the allowlist joins the named rules' own); an
// `[extend] url` is refused.
#pragma once

#include <string>
#include <string_view>

#include "engine/rule.h"
#include "engine/status.h"

namespace akgate {

// The default ruleset compiled into the binary (rules/default.toml).
Status LoadDefaultRules(RuleSet* out);
std::string_view DefaultRulesToml();

// `origin` names the source in messages (a path, or "<default>").
Status LoadRulesFromString(std::string_view toml, std::string_view origin, RuleSet* out);
Status LoadRulesFromFile(const std::string& path, RuleSet* out);

}  // namespace akgate
