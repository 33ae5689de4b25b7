// `akgate rules check FILE` and `akgate rules test RULE_ID TEXT`.
#include <iostream>
#include <set>

#include "cli/commands.h"
#include "engine/rule_loader.h"
#include "engine/scanner.h"
#include "report/report.h"

namespace akgate {

namespace {

std::string Join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

}  // namespace

int RunRulesCheck(const std::string& file) {
  RuleSet rules;
  std::unique_ptr<Scanner> scanner;
  if (!LoadScanner(file == "default" ? "" : file, &rules, &scanner)) return kExitError;
  std::cout << (file == "default" ? "<default rules>" : file) << ": "
            << (rules.title.empty() ? "" : "\"" + rules.title + "\", ") << rules.rules.size() << " rules, "
            << rules.pairs.size() << " pairs, " << scanner->LiteralCount() << " literals\n\n";
  int slow = 0;
  for (const RulePlan& plan : scanner->Plan()) {
    const Rule& r = *plan.rule;
    std::cout << "rule  " << r.id << "  [" << ActionName(r.action) << (plan.pair_part ? ", pair part" : "") << "]\n";
    if (!r.description.empty() || !r.provider.empty())
      std::cout << "      " << (r.provider.empty() ? "" : r.provider + ": ") << r.description << "\n";
    std::cout << "      anchored on " << plan.anchoring;
    if (!plan.atoms.empty()) std::cout << ": " << Join(plan.atoms);
    std::cout << "\n";
    if (!r.keywords.empty()) std::cout << "      keywords: " << Join(r.keywords) << "\n";
    if (r.entropy > 0) std::cout << "      entropy >= " << r.entropy << "\n";
    if (!r.validator.empty()) std::cout << "      validator: " << r.validator << "\n";
    if (!r.path.empty()) std::cout << "      path: " << r.path << "\n";
    if (!r.allowlists.empty()) std::cout << "      allowlists: " << r.allowlists.size() << "\n";
    if (plan.full_scan) ++slow;
  }
  for (const PairRule& p : rules.pairs) {
    std::cout << "pair  " << p.id << "  [" << ActionName(p.action) << "], window " << p.window_lines << " lines\n";
    if (!p.description.empty())
      std::cout << "      " << (p.provider.empty() ? "" : p.provider + ": ") << p.description << "\n";
    for (const PairPart& part : p.parts)
      std::cout << "      part " << (part.name.empty() ? part.rule : part.name) << " <- " << part.rule
                << (part.optional ? " (optional)" : "") << (part.near_regex.empty() ? "" : " (+ near_regex)") << "\n";
  }
  const Allowlist& a = rules.allowlist;
  std::cout << "\nglobal allowlist: " << a.regexes.size() << " regexes, " << a.stopwords.size() << " stopwords, "
            << a.paths.size() << " paths, " << a.fingerprints.size() << " fingerprints\n";
  if (!rules.base64_triggers.empty()) std::cout << "base64 triggers: " << Join(rules.base64_triggers) << "\n";
  for (const std::string& w : rules.load_warnings) std::cout << "warning: " << w << "\n";
  if (slow)
    std::cout << "warning: " << slow
              << " rule(s) have no required literal and no keywords: each scans every byte with its regex (slow)\n";
  std::cout << "ok\n";
  return kExitClean;
}

int RunRulesTest(const std::string& config, const std::string& rule_id, const std::string& text) {
  RuleSet all;
  std::unique_ptr<Scanner> full;
  if (!LoadScanner(config, &all, &full, /*require_blocking=*/false)) return kExitError;
  // Keep only the named rule, or the named pair and its parts.
  RuleSet only = all;
  std::set<std::string> keep{rule_id};
  only.pairs.clear();
  for (const PairRule& p : all.pairs)
    if (p.id == rule_id) {
      only.pairs.push_back(p);
      for (const PairPart& part : p.parts) keep.insert(part.rule);
    }
  only.rules.clear();
  for (const Rule& r : all.rules)
    if (keep.count(r.id)) only.rules.push_back(r);
  if (only.rules.empty()) {
    std::cerr << "akgate: no rule or pair named '" << rule_id << "'\n";
    return kExitError;
  }
  // A part rule tested alone reports even when it is normally off.
  for (Rule& r : only.rules)
    if (r.id == rule_id && r.action == Action::kOff) r.action = Action::kWarn;
  std::unique_ptr<Scanner> scanner;
  Status s = Scanner::Create(only, &scanner);
  if (!s.ok()) {
    std::cerr << "akgate: " << s.message() << "\n";
    return kExitError;
  }
  ScanScratch scratch(*scanner);
  FragmentResult r = scanner->Scan({"<text>", text}, scratch);
  ScanSummary summary;
  Accumulate(r, text.size(), &summary);
  if (r.skipped != SkipReason::kNone) std::cout << "text skipped: " << SkipReasonName(r.skipped) << "\n";
  std::cout << RenderText(r.findings, summary, TextOptions{});
  return r.findings.empty() ? kExitClean : kExitBlocked;
}

}  // namespace akgate
