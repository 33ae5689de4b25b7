// Every rule against its own examples (rule_examples.h).
#include "engine/rule_examples.h"

#include <algorithm>
#include <memory>

#include "engine/redact.h"
#include "engine/scanner.h"

namespace akgate {

namespace {

constexpr char kDefaultExamplePath[] = "example.txt";

// Every finding of a scan, inline-allowed ones included.
std::vector<const Finding*> AllFindings(const FragmentResult& r) {
  std::vector<const Finding*> out;
  for (const Finding& f : r.findings) out.push_back(&f);
  for (const Finding& f : r.inline_allowed_findings) out.push_back(&f);
  return out;
}

bool Names(const Finding& f, const std::string& id) {
  if (f.rule_id == id) return true;
  return std::any_of(f.parts.begin(), f.parts.end(), [&](const FindingPart& p) { return p.rule_id == id; });
}

// What a scan found, for a failure message: "warn aws-access-key-id:1, ...".
std::string Found(const std::vector<const Finding*>& findings) {
  if (findings.empty()) return "nothing";
  std::string out;
  for (const Finding* f : findings) {
    if (!out.empty()) out += ", ";
    out += std::string(ActionName(f->action)) + " " + f->rule_id + ":" + std::to_string(f->location().line);
  }
  return out;
}

struct Checker {
  const Scanner& scanner;
  ScanScratch scratch;
  RuleExampleReport* report;

  std::vector<const Finding*> Scan(const RuleExample& e, FragmentResult* keep) {
    *keep = scanner.Scan({e.path.empty() ? kDefaultExamplePath : e.path, e.text}, scratch);
    return AllFindings(*keep);
  }

  void Fail(const std::string& id, const std::string& at, std::string what) {
    report->failures.push_back({id, at, std::move(what)});
  }

  void Check(const std::string& id, bool built_in, const std::vector<RuleExample>& examples,
             const std::vector<RuleExample>& counter_examples) {
    int n = 0;
    for (const RuleExample& e : examples) {
      ++n;
      report->examples++;
      FragmentResult r;
      const std::vector<const Finding*> found = Scan(e, &r);
      std::vector<const Finding*> naming;
      for (const Finding* f : found)
        if (Names(*f, id)) naming.push_back(f);
      if (naming.empty()) {
        Fail(id, e.at, "example " + std::to_string(n) + " is not found (found: " + Found(found) + ")");
        continue;
      }
      if (e.secret.empty()) continue;
      const std::string want = LegacyFingerprint(id, {e.secret});  // (rule, secret), as this check needs
      bool exact = false;
      for (const Finding* f : naming)
        for (const FindingPart& p : f->parts) exact |= p.rule_id == id && p.legacy_fingerprint == want;
      if (!exact)
        Fail(id, e.at,
             "example " + std::to_string(n) + " is found, but not with the secret it gives (expected " +
                 Redact(e.secret) + ")");
    }
    n = 0;
    for (const RuleExample& e : counter_examples) {
      ++n;
      report->counter_examples++;
      FragmentResult r;
      for (const Finding* f : Scan(e, &r))
        if (Names(*f, id)) {
          Fail(id, e.at,
               "counter-example " + std::to_string(n) + " is found (" + ActionName(f->action) + " " + f->rule_id +
                   " at line " + std::to_string(f->location().line) + ")");
          break;
        }
    }
    if (built_in && examples.empty()) Fail(id, "", "a built-in rule needs at least one example (`examples`)");
    if (built_in && counter_examples.empty())
      Fail(id, "", "a built-in rule needs at least one counter-example (`counter_examples`)");
  }
};

}  // namespace

std::vector<std::string> RuleExampleReport::FailedIds() const {
  std::vector<std::string> ids;
  for (const RuleExampleFailure& f : failures)
    if (std::find(ids.begin(), ids.end(), f.id) == ids.end()) ids.push_back(f.id);
  return ids;
}

Status CheckRuleExamples(const RuleSet& rules, const std::string& only, RuleExampleReport* out) {
  *out = RuleExampleReport{};
  const bool rule_named = only.empty() || rules.FindRule(only) != nullptr;
  const bool pair_named =
      std::any_of(rules.pairs.begin(), rules.pairs.end(), [&](const PairRule& p) { return p.id == only; });
  if (!only.empty() && !rule_named && !pair_named) return Status::NotFound("no rule or pair named '" + only + "'");
  // A context rule (action "off") is reported while its examples are tried.
  RuleSet tried = rules;
  for (Rule& r : tried.rules)
    if (r.action == Action::kOff) r.action = Action::kWarn;
  std::unique_ptr<Scanner> scanner;
  AKGATE_RETURN_IF_ERROR(Scanner::Create(tried, &scanner));
  Checker checker{*scanner, ScanScratch(*scanner), out};
  for (const Rule& r : rules.rules) {
    if (!only.empty() && r.id != only) continue;
    out->rules++;
    checker.Check(r.id, r.built_in, r.examples, r.counter_examples);
  }
  for (const PairRule& p : rules.pairs) {
    if (!only.empty() && p.id != only) continue;
    out->pairs++;
    checker.Check(p.id, p.built_in, p.examples, p.counter_examples);
  }
  return Status::Ok();
}

}  // namespace akgate
