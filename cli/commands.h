// The subcommands of the `akgate` program. Each returns the process exit code.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace akgate {

// Exit codes shared by every subcommand.
constexpr int kExitClean = 0;    // nothing blocking
constexpr int kExitBlocked = 1;  // at least one blocking finding
constexpr int kExitError = 2;    // bad input or config; the message says which and why

struct ScanOptions {
  std::vector<std::string> paths;
  std::string config;           // rule file; empty = default rules
  std::string format = "text";  // text | json | sarif
  std::string output;           // file; empty = stdout
  unsigned threads = 0;         // 0 = one per core
  bool color = true;            // when stdout is a terminal
  bool show_warnings = true;
  std::string language = "en";  // of the text report: en | zh-CN (report/language.h)
  std::string fingerprint_key;  // key file; empty: $AKGATE_FINGERPRINT_KEY, else the user's (created)
};
int RunScan(const ScanOptions& o);

int RunRulesCheck(const std::string& file);
int RunRulesTest(const std::string& config, const std::string& rule_id, const std::string& text);
// `akgate rules test [RULE]` without a text: the examples and counter-examples
// of every rule and pair (or of RULE) in `config`; exit 1 naming each rule
// that fails, and each built-in rule without an example and a counter-example.
int RunRulesExamples(const std::string& config, const std::string& rule_id);

// Loads `config` (empty: the default rules) and compiles it, printing any
// error to stderr. Shared by the subcommands. `require_blocking`: rules that
// cannot block are an error (RequireBlockingRule); only `rules test`, which
// tries one rule, does without.
class Scanner;
struct RuleSet;
// `key_file`: the fingerprint key; empty: the all-zero key (commands that
// show no fingerprint).
bool LoadScanner(const std::string& config, RuleSet* rules, std::unique_ptr<Scanner>* scanner,
                 bool require_blocking = true, const std::string& key_file = "");

}  // namespace akgate
