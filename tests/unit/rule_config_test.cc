// Rule files that would let secrets through quietly: rules that cannot block,
// misspelt keys, gitleaks keys akgate does not apply.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/rule_loader.h"
#include "engine/scanner.h"
#include "policy/policy_rules.h"

using namespace akgate;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/akgate-rulecfg.XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string Write(const std::string& name, const std::string& text) const {
    std::string p = path + "/" + name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
};

Status Build(const Policy& p) {
  RuleSet rules;
  std::vector<std::string> warnings;
  return BuildRules(p, &rules, &warnings);
}

const char* kTwoRules = R"(
[[rules]]
id = "tok-a"
regex = '''tok_a_([A-Za-z0-9]{12})'''
action = "block"
[[rules]]
id = "tok-b"
regex = '''tok_b_([A-Za-z0-9]{12})'''
action = "block"
)";

}  // namespace

TEST_CASE("rules that cannot block are a configuration error, judged after [rules.actions]") {
  TempDir d;
  for (const char* text : {"", "title = \"only a title\"\n",
                           "[[rules]]\nid = 'x'\nregex = 'tok_[0-9]{8}'\n",  // no action: warn
                           "[[rules]]\nid = 'x'\nregex = 'tok_[0-9]{8}'\naction = 'off'\n"}) {
    CAPTURE(text);
    RuleSet rules;
    REQUIRE(LoadRulesFromString(text, "r.toml", &rules).ok());
    Status s = RequireBlockingRule(rules, "r.toml");
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().rfind("r.toml ", 0) == 0);
    CHECK(s.message().find("cannot block") != std::string::npos);

    Policy p;  // the hook's and the gateway's path (Gate::Create builds the rules here)
    p.rule_files = {d.Write("r.toml", text)};
    s = Build(p);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find(p.rule_files[0]) != std::string::npos);
  }
  RuleSet defaults;
  REQUIRE(LoadDefaultRules(&defaults).ok());
  CHECK(RequireBlockingRule(defaults, "<default rules>").ok());
  CHECK(Build(Policy{}).ok());

  // Every blocking rule and pair turned down by the policy: the same error.
  Policy down;
  for (const Rule& r : defaults.rules)
    if (r.action == Action::kBlock) down.rule_actions[r.id] = Action::kWarn;
  for (const PairRule& pr : defaults.pairs)
    if (pr.action == Action::kBlock) down.rule_actions[pr.id] = Action::kOff;
  Status s = Build(down);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("[rules.actions]") != std::string::npos);
  // ... and one rule left blocking is enough.
  down.rule_actions.erase(defaults.pairs.front().id);
  CHECK(Build(down).ok());

  // A policy's action can also make a warn-only file able to block.
  Policy up;
  up.rule_files = {d.Write("warn.toml", "[[rules]]\nid = 'x'\nregex = 'tok_[0-9]{8}'\n")};
  up.rule_actions["x"] = Action::kBlock;
  CHECK(Build(up).ok());
}

TEST_CASE("a misspelt key is an error naming the file, the line and the key") {
  RuleSet rules;
  Status s = LoadRulesFromString("title = 't'\n\n[[rules]]\nid = 'x'\nregex = 'tok_[0-9]{8}'\nactoin = 'block'\n",
                                 "mine.toml", &rules);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().rfind("mine.toml:6: rules[0] (rule 'x'): unknown key 'actoin' (did you mean 'action'?)", 0) == 0);

  s = LoadRulesFromString("[[pairs]]\nid = 'p'\nwindow = 3\n[[pairs.parts]]\nrule = 'a'\n[[pairs.parts]]\nrule = 'b'\n",
                          "p.toml", &rules);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("p.toml:3:") == 0);
  CHECK(s.message().find("'window'") != std::string::npos);

  for (const char* text : {"[limits]\nmax_fragment_byte = 10\n", "[allowlist]\nregex = ['x']\n",
                           "[extend]\nusedefault = true\n", "[decode]\nbase64_trigger = ['LTAI']\n", "titel = 'x'\n"}) {
    CAPTURE(text);
    s = LoadRulesFromString(text, "k.toml", &rules);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("unknown key") != std::string::npos);
    CHECK(s.message().rfind("k.toml:", 0) == 0);
  }
  // A type error names the line of the key too.
  s = LoadRulesFromString("[[rules]]\nid = 'x'\nregex = 'a'\n\nentropy = 'high'\n", "t.toml", &rules);
  CHECK(s.message().rfind("t.toml:5: rules[0] (rule 'x'): 'entropy' must be a number", 0) == 0);
}

TEST_CASE("gitleaks keys: harmless ones warn, targetRules is honoured, extend.url is refused") {
  RuleSet rules;
  // commits, required, skipReport: ignoring them only reports more.
  Status s = LoadRulesFromString(std::string(kTwoRules) +
                                     "[[rules.required]]\nid = 'tok-a'\nwithinLines = 2\n"
                                     "[[allowlists]]\ncommits = ['0123456789abcdef0123456789abcdef01234567']\n",
                                 "g.toml", &rules);
  REQUIRE_MESSAGE(s.ok(), s.message());
  REQUIRE(rules.load_warnings.size() == 2);
  CHECK(rules.load_warnings[0].find("'required' is not supported") != std::string::npos);

  s = LoadRulesFromString("[extend]\nurl = 'https://example.com/rules.toml'\n", "u.toml", &rules);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("'url' is not supported") != std::string::npos);

  // targetRules: the allowlist applies to the named rule only (it used to
  // apply to every rule, hiding tok-b's finding too).
  s = LoadRulesFromString(std::string(kTwoRules) + "[[allowlists]]\ntargetRules = ['tok-a']\nstopwords = ['zz']\n",
                          "t.toml", &rules);
  REQUIRE_MESSAGE(s.ok(), s.message());
  CHECK(rules.load_warnings.empty());
  std::unique_ptr<Scanner> scanner;
  REQUIRE(Scanner::Create(rules, "", &scanner).ok());
  ScanScratch scratch(*scanner);
  FragmentResult r = scanner->Scan({"x.txt", "tok_a_Qw3zzRt5Yu7I\ntok_b_Qw3zzRt5Yu7I\ntok_a_Qw3xxRt5Yu7I\n"}, scratch);
  REQUIRE(r.findings.size() == 2);
  CHECK(r.findings[0].rule_id == "tok-b");
  CHECK(r.findings[1].rule_id == "tok-a");
  CHECK(r.findings[1].location().line == 3);

  s = LoadRulesFromString(std::string(kTwoRules) + "\n[[allowlists]]\ntargetRules = ['tok-c']\nstopwords = ['zz']\n",
                          "t.toml", &rules);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("t.toml:12:") == 0);
  CHECK(s.message().find("'tok-c', which is not a rule") != std::string::npos);
}
