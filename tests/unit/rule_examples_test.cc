// Rules carry their own examples (`examples`, `counter_examples`) and
// `akgate rules test` tries them: every built-in rule must have both, and
// every one must pass. This is what CI runs over rules/default.toml.
//
// Key values in the small rule files below are made up for these tests.
#include "engine/rule_examples.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "engine/rule_loader.h"

using namespace akgate;

namespace {

RuleSet Load(const std::string& text) {
  RuleSet rules;
  Status s = LoadRulesFromString(text, "mine.toml", &rules);
  REQUIRE_MESSAGE(s.ok(), s.message());
  return rules;
}

std::string LoadError(const std::string& text) {
  RuleSet rules;
  Status s = LoadRulesFromString(text, "mine.toml", &rules);
  REQUIRE_FALSE(s.ok());
  return s.message();
}

RuleExampleReport Check(const RuleSet& rules, const std::string& only = "") {
  RuleExampleReport report;
  Status s = CheckRuleExamples(rules, only, &report);
  REQUIRE_MESSAGE(s.ok(), s.message());
  return report;
}

bool Mentions(const RuleExampleReport& r, const std::string& id, const std::string& what) {
  return std::any_of(r.failures.begin(), r.failures.end(),
                     [&](const RuleExampleFailure& f) { return f.id == id && f.what.find(what) != std::string::npos; });
}

const char* kTokenRule = R"(
[[rules]]
id = "tok"
regex = '''\b(tok_[A-Za-z0-9]{16})\b'''
action = "block"
)";

}  // namespace

TEST_CASE("rule examples: every built-in rule and pair has examples and counter-examples, and all pass") {
  RuleSet defaults;
  Status s = LoadDefaultRules(&defaults);
  REQUIRE_MESSAGE(s.ok(), s.message());
  const RuleExampleReport report = Check(defaults);
  for (const RuleExampleFailure& f : report.failures) FAIL_CHECK(f.id << " " << f.at << ": " << f.what);
  CHECK(report.rules == static_cast<int>(defaults.rules.size()));
  CHECK(report.pairs == static_cast<int>(defaults.pairs.size()));
  CHECK(report.examples >= report.rules + report.pairs);
  CHECK(report.counter_examples >= report.rules + report.pairs);
  for (const Rule& r : defaults.rules) CHECK_MESSAGE(r.built_in, r.id);
  for (const PairRule& p : defaults.pairs) CHECK_MESSAGE(p.built_in, p.id);
}

TEST_CASE("rule examples: read as strings or as tables with text, secret and path") {
  RuleSet rules = Load(std::string(kTokenRule) + R"(examples = [
  'key: tok_Q3kf9ZpL2xWm8RtB',
  { text = '''
first line
key: tok_Vb7Nq2Lx9KpT4mWz
''', secret = "tok_Vb7Nq2Lx9KpT4mWz", path = "conf/app.env" },
]
counter_examples = ['key: tok_<your-token>']
)");
  const Rule& r = rules.rules[0];
  REQUIRE(r.examples.size() == 2);
  CHECK(r.examples[0].text == "key: tok_Q3kf9ZpL2xWm8RtB");
  CHECK(r.examples[0].at == "mine.toml:7");
  CHECK(r.examples[1].text == "first line\nkey: tok_Vb7Nq2Lx9KpT4mWz\n");
  CHECK(r.examples[1].secret == "tok_Vb7Nq2Lx9KpT4mWz");
  CHECK(r.examples[1].path == "conf/app.env");
  REQUIRE(r.counter_examples.size() == 1);
  CHECK_FALSE(r.built_in);
  const RuleExampleReport report = Check(rules);
  CHECK(report.failures.empty());
  CHECK(report.examples == 2);
  CHECK(report.counter_examples == 1);
}

TEST_CASE("rule examples: malformed examples are errors naming the file, line and rule") {
  CHECK(LoadError(std::string(kTokenRule) + "examples = 'tok_Q3kf9ZpL2xWm8RtB'\n")
            .find("mine.toml:6: rules[0] (rule 'tok'): 'examples' must be an array") == 0);
  CHECK(LoadError(std::string(kTokenRule) + "examples = [42]\n").find("'examples' must be an array") !=
        std::string::npos);
  CHECK(LoadError(std::string(kTokenRule) + "counter_examples = ['']\n").find("holds an empty text") !=
        std::string::npos);
  CHECK(LoadError(std::string(kTokenRule) + "examples = [{ secret = 'tok_Q3kf9ZpL2xWm8RtB' }]\n")
            .find("needs a 'text'") != std::string::npos);
  CHECK(LoadError(std::string(kTokenRule) + "examples = [{ text = 'x', secrte = 'y' }]\n")
            .find("unknown key 'secrte' (did you mean 'secret'?)") != std::string::npos);
  // A pair's example is the pair as a whole: it has no single secret.
  const std::string pair = std::string(kTokenRule) + R"(
[[rules]]
id = "tok-secret"
regex = '''tok_secret\s*=\s*([A-Za-z0-9]{20})'''
[[pairs]]
id = "tok-pair"
examples = [{ text = 'x', secret = 'y' }]
[[pairs.parts]]
rule = "tok"
[[pairs.parts]]
rule = "tok-secret"
)";
  CHECK(LoadError(pair).find("unknown key 'secret'") != std::string::npos);
}

TEST_CASE("rule examples: a missed example, a wrong secret and a found counter-example fail, naming the rule") {
  RuleSet rules = Load(std::string(kTokenRule) + R"(examples = [
  'key: tok_Q3kf9ZpL2xWm8RtB',
  'key: tok_short',
  { text = 'key: tok_Vb7Nq2Lx9KpT4mWz', secret = "tok_Vb7Nq2Lx9KpT4mWA" },
]
counter_examples = ['key: tok_Hy6Dc3Rf8Jn1Ks5Q']
[[rules]]
id = "other"
regex = '''\b(oth_[A-Za-z0-9]{16})\b'''
examples = ['oth_Hy6Dc3Rf8Jn1Ks5Q']
counter_examples = ['oth_']
)");
  const RuleExampleReport report = Check(rules);
  CHECK(Mentions(report, "tok", "example 2 is not found (found: nothing)"));
  CHECK(Mentions(report, "tok", "example 3 is found, but not with the secret it gives (expected tok_"));
  CHECK(Mentions(report, "tok", "counter-example 1 is found (block tok at line 1)"));
  CHECK(report.failures.size() == 3);
  for (const RuleExampleFailure& f : report.failures) {
    CHECK(f.at.rfind("mine.toml:", 0) == 0);
    CHECK(f.what.find("tok_Vb7Nq2Lx9KpT4mWA") == std::string::npos);  // expected secrets are shown redacted
  }
  CHECK(report.FailedIds() == std::vector<std::string>{"tok"});
  // Only one rule's examples.
  CHECK(Check(rules, "other").failures.empty());
  RuleExampleReport none;
  CHECK(CheckRuleExamples(rules, "nothing-by-that-name", &none).code() == StatusCode::kNotFound);
}

TEST_CASE("rule examples: optional in a user's file, required of the built-in rules") {
  RuleSet rules = Load(kTokenRule);
  CHECK(Check(rules).failures.empty());
  rules.rules[0].built_in = true;
  const RuleExampleReport report = Check(rules);
  CHECK(Mentions(report, "tok", "needs at least one example"));
  CHECK(Mentions(report, "tok", "needs at least one counter-example"));
  // A user file extending the defaults: the built-in rules stay built-in,
  // the user's own do not, and a user rule replacing a default one is the user's.
  RuleSet extended = Load(R"([extend]
useDefault = true
[[rules]]
id = "github-token"
regex = '''\b(ghp_[A-Za-z0-9]{36})\b'''
action = "block"
)");
  for (const Rule& r : extended.rules) CHECK_MESSAGE(r.built_in == (r.id != "github-token"), r.id);
}

TEST_CASE("rule examples: a context rule that is off is tried as if it warned") {
  RuleSet rules = Load(std::string(kTokenRule) + R"(
[[rules]]
id = "ctx"
regex = '''\b(context_marker)\b'''
action = "off"
examples = ['context_marker']
counter_examples = ['context marker']
)");
  CHECK(Check(rules).failures.empty());
}
