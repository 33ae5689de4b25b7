// A RuleSet compiled for scanning: RE2 programs, the literal index and the
// tables that map a literal hit back to the rules it concerns. Internal to
// the engine; built once by Scanner::Create, then read-only.
//
// Where a rule is compiled: CompiledRules::Build. How each rule is anchored:
//   - literals RE2's FilteredRE2 proves every match contains ("atoms") anchor
//     the rule: its regex runs on the line(s) around each atom hit;
//   - a rule without atoms but with keywords is anchored on its keywords;
//   - a rule with neither is scanned in full (slow; `rules check` says so);
//   - keywords also gate: no keyword anywhere in the fragment, no match.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "engine/fingerprint.h"
#include "engine/literal_index.h"
#include "engine/rule.h"
#include "engine/status.h"
#include "engine/validators.h"

namespace akgate {

// An RE2 program built on first use. Most rules never see a literal hit in
// a small push, and building every program costs more than scanning one
// (the hook's start-up budget). Thread-safe; the pattern was validated when
// the rule set was first compiled (see compile_cache.h).
class LazyRegex {
 public:
  LazyRegex(std::string pattern, std::unique_ptr<RE2> built);  // built may be null
  const RE2& get() const;
  const std::string& pattern() const { return pattern_; }

 private:
  std::string pattern_;
  mutable std::once_flag once_;
  mutable std::unique_ptr<RE2> re_;
};

struct CompiledAllowlist {
  Allowlist::Target target = Allowlist::Target::kSecret;
  Allowlist::Condition condition = Allowlist::Condition::kOr;
  std::vector<std::unique_ptr<LazyRegex>> regexes;
  std::vector<std::string> stopwords;  // lowercased
  std::vector<std::unique_ptr<LazyRegex>> paths;
  std::unordered_set<std::string> fingerprints;

  // Does the allowlist drop this candidate? `path_matched` is precomputed.
  bool Allows(std::string_view secret, std::string_view match, std::string_view line, std::string_view path) const;
  bool AllowsPath(std::string_view path) const;  // only the path criterion
  bool HasPathOnly() const { return !paths.empty() && regexes.empty() && stopwords.empty(); }
};

enum class Anchoring { kAtoms, kKeywords, kFullScan, kPathOnly };
const char* AnchoringName(Anchoring a);

struct CompiledRule {
  const Rule* rule = nullptr;
  std::unique_ptr<LazyRegex> re;       // null for path-only rules
  std::unique_ptr<LazyRegex> path_re;  // null when the rule has no path
  int group = 0;                       // capture group of the secret (0 = whole match)
  int ngroups = 0;                     // submatches to request (group + 1)
  bool multiline = false;              // may match across lines: wider windows
  Anchoring anchoring = Anchoring::kAtoms;
  std::vector<std::string> atoms;       // for `rules check`
  std::vector<uint32_t> gate_literals;  // keyword literal ids; empty = no gate
  Validator validator = nullptr;
  std::vector<CompiledAllowlist> allowlists;
  bool pair_part = false;  // some pair uses it
};

struct CompiledPart {
  int rule_index = -1;
  std::unique_ptr<LazyRegex> near_re;  // may be null
  const PairPart* part = nullptr;
};

struct CompiledPair {
  const PairRule* pair = nullptr;
  std::vector<CompiledPart> parts;
};

// What one literal means: which rules it anchors or gates, and whether it is
// a base64 form of a decode trigger.
struct LiteralRole {
  std::vector<uint32_t> anchors;  // rule indices
  std::vector<uint32_t> gates;    // rule indices
  bool base64_trigger = false;
};

class CompiledRules {
 public:
  // `cache_dir` (may be empty: no cache) keeps what is costly to derive (RE2
  // atoms, the Hyperscan database) between processes; see compile_cache.h.
  static Status Build(const RuleSet& rules, const std::string& cache_dir, std::unique_ptr<CompiledRules>* out);
  bool from_cache() const { return from_cache_; }

  const RuleSet& set() const { return set_; }
  const std::vector<CompiledRule>& rules() const { return rules_; }
  const std::vector<CompiledPair>& pairs() const { return pairs_; }
  const CompiledAllowlist& global_allowlist() const { return global_; }
  const LiteralIndex& literals() const { return *literals_; }
  const std::vector<LiteralRole>& roles() const { return roles_; }
  const std::vector<uint32_t>& full_scan_rules() const { return full_scan_; }
  const std::vector<uint32_t>& path_rules() const { return path_only_; }
  const std::vector<uint32_t>& path_restricted_rules() const { return path_restricted_; }  // with a `path`
  size_t gated_rule_count() const { return gated_count_; }
  // The installation's key for fingerprints (fingerprint.h). Set by
  // Scanner::Create after Build; never part of the compile cache.
  const FingerprintKey& fingerprint_key() const { return fingerprint_key_; }
  void set_fingerprint_key(const FingerprintKey& key) { fingerprint_key_ = key; }

 private:
  RuleSet set_;  // owned copy: compiled structures point into it
  std::vector<CompiledRule> rules_;
  std::vector<CompiledPair> pairs_;
  CompiledAllowlist global_;
  std::unique_ptr<LiteralIndex> literals_;
  std::vector<LiteralRole> roles_;
  std::vector<uint32_t> full_scan_;
  std::vector<uint32_t> path_only_;
  std::vector<uint32_t> path_restricted_;
  size_t gated_count_ = 0;
  bool from_cache_ = false;
  FingerprintKey fingerprint_key_;
};

// The three base64 alignments of `literal`, reduced to the characters that do
// not depend on neighbouring bytes (each at least 3 long, or dropped).
std::vector<std::string> Base64Forms(std::string_view literal);

}  // namespace akgate
