// The subcommands of the `akgate` program. Each returns the process exit code.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
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
  // --history: the paths are repositories (or directories of them) whose
  // history is scanned (git/history_scan.h); none: the current directory.
  bool history = false;
  bool all_refs = false;     // --all-refs: every ref, not only branches and tags
  bool all_objects = false;  // --all-objects: also objects no ref reaches
  bool progress = true;      // a progress line on a terminal (--no-progress)
};
int RunScan(const ScanOptions& o);

// `akgate scan --history`, once RunScan has checked the options and loaded
// the rules (cli/history_command.cc).
class Scanner;
struct RuleSet;
enum class Language;
int RunHistoryScan(const ScanOptions& o, const RuleSet& rules, const Scanner& scanner, Language language);

// Shared by the scans' reports: JSON as UTF-8 (a path that is not valid
// UTF-8 gets U+FFFD for each bad byte), and the report written to
// `output` (a file) or, when empty, to standard output. False, with the
// error printed, when it cannot be written.
std::string DumpJson(const nlohmann::json& j);
bool WriteReport(const std::string& output, const std::string& text);

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
// `key_file`: the fingerprint key; empty: the all-zero key (commands that
// show no fingerprint).
bool LoadScanner(const std::string& config, RuleSet* rules, std::unique_ptr<Scanner>* scanner,
                 bool require_blocking = true, const std::string& key_file = "");

}  // namespace akgate
