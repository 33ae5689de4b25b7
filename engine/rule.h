// What a rule is: the data model of detection, loaded from TOML.
//
// Rules are data (rules/default.toml, user files, gitleaks v8 files). This
// header only describes them; rule_loader.h reads them, scanner.h compiles and
// applies them.
//
//   Rule      one pattern: an RE2 regex whose capture group `secret_group` is
//             the secret, gated by `keywords`, filtered by entropy, a
//             validator and allowlists. A rule's own `action` applies to a
//             finding of it that is not part of a pair.
//   PairRule  joins findings of two or more part rules found near each other
//             into one finding (an AccessKey ID with its secret). A pair
//             subsumes its parts: they are not reported on their own.
//   RuleSet   every rule and pair plus the global allowlist and content limits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/status.h"

namespace akgate {

// What a finding means for a push or a scan.
enum class Action { kBlock, kWarn, kOff };
const char* ActionName(Action a);  // "block", "warn", "off"
std::optional<Action> ParseAction(const std::string& s);

// gitleaks-compatible allowlist. A finding is dropped when the allowlist
// matches it. With condition kOr any one populated criterion suffices; with
// kAnd every populated criterion must hold.
struct Allowlist {
  enum class Target { kSecret, kMatch, kLine };
  enum class Condition { kOr, kAnd };
  std::string description;
  std::vector<std::string> regexes;  // RE2, applied to `target`
  Target target = Target::kSecret;
  std::vector<std::string> stopwords;     // case-insensitive substrings of the secret
  std::vector<std::string> paths;         // RE2 on the fragment's path
  std::vector<std::string> fingerprints;  // exact finding fingerprints (global only)
  Condition condition = Condition::kOr;
  bool empty() const { return regexes.empty() && stopwords.empty() && paths.empty() && fingerprints.empty(); }
};

// A text a rule or pair must find (`examples`) or must not (`counter_examples`),
// written in the rule file next to the rule and checked by `akgate rules test`
// (rule_examples.h). Example keys are fake: generated, never real.
struct RuleExample {
  std::string text;
  std::string secret;  // rule examples only, optional: the secret the rule must extract
  std::string path;    // the path the text is scanned as; empty: "example.txt"
  std::string at;      // "FILE:LINE" of the example, for messages
};

struct Rule {
  std::string id;
  std::string description;
  std::string provider;               // "Alibaba Cloud", "AWS", "GitHub", ...
  std::string regex;                  // RE2 syntax; empty for path-only rules
  int secret_group = 0;               // 0: the first group if any, else the whole match
  double entropy = 0.0;               // minimum Shannon entropy of the secret (bits/char)
  std::vector<std::string> keywords;  // case-insensitive; none present => rule not tried
  std::string path;                   // RE2 on the path: restricts the rule (or, with
                                      // an empty regex, is the whole rule)
  std::vector<Allowlist> allowlists;
  std::string validator;  // named built-in check, e.g. "github-crc32"
  Action action = Action::kWarn;
  std::vector<std::string> tags;
  std::vector<RuleExample> examples;          // must be found
  std::vector<RuleExample> counter_examples;  // must not be found
  bool built_in = false;                      // from the default rules: examples are required
};

struct PairPart {
  std::string rule;  // id of a Rule whose findings can fill this part
  std::string name;  // shown to people, e.g. "AccessKey secret"
  // Extra pattern searched only within the pair's window around the first part,
  // for values with no key name of their own (positional SDK arguments, CSV
  // rows, `bucket:ID:SECRET`). A value found this way must still pass the part
  // rule's entropy, validator and allowlists.
  std::string near_regex;
  bool optional = false;  // joins the pair when present (STS token)
};

struct PairRule {
  std::string id;
  std::string description;
  std::string provider;
  Action action = Action::kBlock;
  int window_lines = 5;                       // every part within this many lines of the first,
  bool same_block = true;                     // or in the same block however far (block_structure.h)
  std::vector<PairPart> parts;                // parts[0] anchors the pair
  std::vector<RuleExample> examples;          // must be found as this pair
  std::vector<RuleExample> counter_examples;  // must not be
  bool built_in = false;
};

// Content the engine refuses to scan, and why; always counted, never silent.
struct ContentLimits {
  uint64_t max_fragment_bytes = 50ull << 20;  // larger fragments are skipped as oversize
  bool skip_binary = true;                    // a NUL byte in the first 8000 bytes
  bool skip_minified = true;                  // .js/.css/.map with very long average lines
  uint64_t max_decoded_bytes = 1ull << 20;    // decoding budget per fragment
  int max_decode_depth = 2;
  std::vector<std::string> inline_allow_markers = {"akgate:allow", "gitleaks:allow"};
  // Compressed files and archives (archive.h): opened within these bounds.
  bool scan_archives = true;
  uint64_t max_archive_bytes = 256ull << 20;  // expanded from one file, nested archives included
  uint64_t max_archive_members = 10000;
  int max_archive_depth = 3;         // archives inside archives
  uint64_t max_archive_ratio = 100;  // expanded / compressed, once over 10 MiB expanded
  // What content that could not be opened or read (encrypted, corrupt, over
  // the bounds above) counts as: a finding with this action.
  Action unscannable = Action::kBlock;
};

struct RuleSet {
  std::string title;
  std::vector<Rule> rules;
  std::vector<PairRule> pairs;
  Allowlist allowlist;                       // global
  std::vector<std::string> base64_triggers;  // literals whose base64 forms start decoding
  ContentLimits limits;
  std::vector<std::string> load_warnings;  // unknown keys and the like, for `rules check`

  const Rule* FindRule(const std::string& id) const;
};

// A ruleset in which no enabled rule or pair has action "block" lets every
// secret through while looking like it works: that is a configuration error,
// not a quiet pass. Judged on the rules as they will run (after a policy's
// [rules.actions]); one check shared by `akgate scan`, `akgate rules check`,
// the hook and the gateway. `origin` names the rules in the message.
Status RequireBlockingRule(const RuleSet& rules, const std::string& origin);

}  // namespace akgate
