// Rule files (engine/rule_loader.h, LoadRulesFromString) on arbitrary TOML.
//
// Checks: loading never crashes or hangs; an error names the file; a file
// that loads gives a rule set the scanner can take: every rule has an id
// and a regex or a path, ids are unique among rules and among pairs, base64
// triggers are at least 3 characters; loading the same text twice gives the
// same set.
//
// Run from an empty scratch directory (fuzz/run.sh does): an [extend] path
// is read relative to the working directory.
#include <set>
#include <string>

#include "engine/rule_loader.h"
#include "fuzz_check.h"

namespace {

std::string Summary(const akgate::RuleSet& rs) {
  std::string s = rs.title + "\n";
  for (const akgate::Rule& r : rs.rules)
    s += r.id + "\t" + r.regex + "\t" + r.path + "\t" + akgate::ActionName(r.action) + "\n";
  for (const akgate::PairRule& p : rs.pairs) s += "pair " + p.id + "\n";
  for (const std::string& t : rs.base64_triggers) s += "trigger " + t + "\n";
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = akgate_fuzz::AsText(data, size);
  akgate::RuleSet rs;
  akgate::Status s = akgate::LoadRulesFromString(text, "fuzz.toml", &rs);
  if (!s.ok()) {
    FUZZ_CHECK(!s.message().empty());
    return 0;
  }
  std::set<std::string> ids, pair_ids;
  for (const akgate::Rule& r : rs.rules) {
    FUZZ_CHECK(!r.id.empty());
    FUZZ_CHECK(!r.regex.empty() || !r.path.empty());
    FUZZ_CHECK(ids.insert(r.id).second);
  }
  for (const akgate::PairRule& p : rs.pairs) {
    FUZZ_CHECK(!p.id.empty());
    FUZZ_CHECK(pair_ids.insert(p.id).second);
  }
  for (const std::string& t : rs.base64_triggers) FUZZ_CHECK(t.size() >= 3);

  akgate::RuleSet again;
  FUZZ_CHECK(akgate::LoadRulesFromString(text, "fuzz.toml", &again).ok());
  FUZZ_CHECK(Summary(again) == Summary(rs));
  return 0;
}
