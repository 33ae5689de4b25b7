// The subcommands of the `akgate` program. Each returns the process exit code.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace CLI {
class App;
}

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
  // The developer's side (docs/developer.md, cli/local_scan_command.cc):
  // what `git commit` would record (--staged), what `git push` would send
  // (--since REV, a path argument A..B, --pre-push REMOTE with git's pre-push
  // lines on stdin), checked as the hook checks a push.
  bool staged = false;
  std::string since;
  std::string pre_push;  // the remote's name (git's pre-push $1)
  std::string policy;    // --policy: a policy file laid over the defaults, as the server's would be
  // Directories inside a git work tree: what `git ls-files -co
  // --exclude-standard` lists (cli/git_files.h), unless --all-files.
  bool all_files = false;
  std::string baseline;        // --baseline FILE: report only findings not in it (cli/baseline.h)
  std::string write_baseline;  // `akgate baseline`: write the findings there instead of a report
};
int RunScan(const ScanOptions& o);

// The scan's developer-side options, registered on `akgate scan`, and
// `akgate baseline` (cli/local_scan_command.cc).
void AddDeveloperOptions(CLI::App* scan, ScanOptions* o);
struct BaselineCommand {
  explicit BaselineCommand(CLI::App* app);
  bool selected() const;
  int Run();
  CLI::App* cmd = nullptr;
  ScanOptions options;
};
// True when RunScan hands `o` to RunLocalScan: a commit or a push to check.
bool IsLocalScan(const ScanOptions& o);
enum class Language;
int RunLocalScan(const ScanOptions& o, const std::string& key_file, Language language);

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
