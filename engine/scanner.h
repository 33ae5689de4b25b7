// The detection engine: bytes in, findings out. Knows nothing of git or HTTP.
//
// Usage:
//
//   akgate::RuleSet rules;                      // from rule_loader.h
//   akgate::Status s = akgate::LoadDefaultRules(&rules);
//   std::unique_ptr<akgate::Scanner> scanner;
//   s = akgate::Scanner::Create(rules, &scanner);   // compiles every rule once
//   akgate::ScanScratch scratch(*scanner);         // one per thread
//   akgate::FragmentResult r = scanner->Scan({"app/config.py", bytes}, scratch);
//
// How a fragment is scanned (each stage its own file):
//   1. content_class.cc  skip oversize, binary, minified, allowlisted paths;
//      text_encoding.cc  UTF-16 decoded to UTF-8;
//      archive.cc        compressed files and archives opened, each member
//                        scanned from stage 1 as `outer!member`
//   2. literal_index.cc  one Hyperscan pass finds every rule's literals
//                        (keywords and RE2's required atoms) and the base64
//                        forms of decode triggers
//   3. confirm.cc        each rule's RE2 runs only on the lines around its
//                        literal hits; entropy, validators, allowlists
//   4. decode.cc         base64 tokens near triggers are decoded and the
//                        decoded text is scanned again (bounded)
//   5. pairing.cc        part findings near each other become pair findings
//
// A Scanner is immutable after Create and safe to share between threads; a
// ScanScratch is not.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/finding.h"
#include "engine/fingerprint.h"
#include "engine/rule.h"
#include "engine/status.h"

namespace akgate {

struct Fragment {
  std::string_view path;  // used for path rules, allowlists and reports
  std::string_view data;
};

class CompiledRules;  // internal: regexes, literal database, tables

class ScanScratch {
 public:
  explicit ScanScratch(const class Scanner& scanner);
  ~ScanScratch();
  ScanScratch(const ScanScratch&) = delete;
  ScanScratch& operator=(const ScanScratch&) = delete;
  struct Impl;
  Impl* impl() { return impl_.get(); }

 private:
  std::unique_ptr<Impl> impl_;
};

// How the prefilter finds one rule (`akgate rules check` prints it).
struct RulePlan {
  const Rule* rule = nullptr;
  bool pair_part = false;          // some pair uses it
  std::string anchoring;           // "literal atoms", "keywords", "full scan (...)", "path only"
  std::vector<std::string> atoms;  // the literals it is anchored on
  bool full_scan = false;          // no literal and no keyword: its regex reads every byte
};

class Scanner {
 public:
  // Compiles `rules`. Fails with a message naming the rule and the reason when
  // a regex does not compile or a pair names an unknown rule.
  // Compiled forms are cached in DefaultCompileCacheDir() (compile_cache.h);
  // the second form names the cache directory ("" = no cache).
  static Status Create(const RuleSet& rules, std::unique_ptr<Scanner>* out);
  static Status Create(const RuleSet& rules, const std::string& cache_dir, std::unique_ptr<Scanner>* out);
  // With the installation's fingerprint key (fingerprint.h); the forms
  // above use the all-zero key, which protects nothing.
  static Status Create(const RuleSet& rules, const std::string& cache_dir, const FingerprintKey& key,
                       std::unique_ptr<Scanner>* out);
  ~Scanner();

  FragmentResult Scan(const Fragment& fragment, ScanScratch& scratch) const;

  const RuleSet& rules() const;
  // One entry per rule, in the rule set's order, and the number of distinct
  // literals the one Hyperscan pass looks for.
  std::vector<RulePlan> Plan() const;
  size_t LiteralCount() const;
  // The compiled form, for the engine's own stages and tests.
  const CompiledRules& compiled() const { return *compiled_; }

 private:
  explicit Scanner(std::unique_ptr<CompiledRules> compiled);
  std::unique_ptr<CompiledRules> compiled_;
};

}  // namespace akgate
