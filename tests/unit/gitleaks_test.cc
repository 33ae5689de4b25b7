// gitleaks v8 rule files load and behave as they do in gitleaks.
//
// kGitleaksConfig is a trimmed copy of gitleaks' own config/gitleaks.toml
// (rules and global allowlist verbatim, only fewer of them), plus the
// documented secretGroup and path-only examples. kExtendConfig is the usual
// shape of a project's .gitleaks.toml: [extend] useDefault plus a few rules.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>

#include "engine/rule_loader.h"
#include "engine/scanner.h"

namespace {

const char* kGitleaksConfig = R"toml(
title = "gitleaks config"

[allowlist]
description = "global allow lists"
paths = [
    '''gitleaks\.toml''',
    '''(?i)\.(?:bmp|gif|jpe?g|png|svg|tiff?)$''',
    '''(?:^|/)node_modules(?:/.*)?$''',
    '''(?:^|/)(?:deno\.lock|npm-shrinkwrap\.json|package-lock\.json|pnpm-lock\.yaml|yarn\.lock)$''',
]
regexes = [
    '''(?i)^true|false|null$''',
    '''^\$(?:[A-Z_]+|[a-z_]+)$''',
    '''^\$\{(?:[A-Z_]+|[a-z_]+)\}$''',
]
stopwords = [
    "014df517-39d1-4453-b7b3-9930c563627c",
    "abcdefghijklmnopqrstuvwxyz",
]

[[rules]]
id = "alibaba-access-key-id"
description = "Detected an Alibaba Cloud AccessKey ID, posing a risk of unauthorized cloud resource access and potential data compromise."
regex = '''\b(LTAI(?i)[a-z0-9]{20})(?:[\x60'"\s;]|\\[nr]|$)'''
entropy = 2
keywords = ["ltai"]

[[rules]]
id = "alibaba-secret-key"
description = "Discovered a potential Alibaba Cloud Secret Key, potentially allowing unauthorized operations and data access within Alibaba Cloud."
regex = '''(?i)[\w.-]{0,50}?(?:alibaba)(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"\s=]{0,5}([a-z0-9]{30})(?:[\x60'"\s;]|\\[nr]|$)'''
entropy = 2
keywords = ["alibaba"]

[[rules]]
id = "aws-access-token"
description = "Identified a pattern that may indicate AWS credentials, risking unauthorized cloud resource access and data breaches on AWS platforms."
regex = '''\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b'''
entropy = 3
keywords = [
    "a3t",
    "akia",
    "asia",
    "abia",
    "acca",
]
[[rules.allowlists]]
regexes = [
    '''.+EXAMPLE$''',
]

[[rules]]
id = "github-pat"
description = "Uncovered a GitHub Personal Access Token, potentially leading to unauthorized repository access and sensitive content exposure."
regex = '''ghp_[0-9a-zA-Z]{36}'''
entropy = 3
keywords = ["ghp_"]
[[rules.allowlists]]
paths = [
    '''(?:^|/)@octokit/auth-token/README\.md$''',
]

[[rules]]
id = "sonar-api-token"
description = "Uncovered a Sonar API token, potentially compromising software vulnerability scanning and code security."
regex = '''(?i)[\w.-]{0,50}?(?:sonar[_.-]?(login|token))(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"\s=]{0,5}((?:squ_|sqp_|sqa_)?[a-z0-9=_\-]{40})(?:[\x60'"\s;]|\\[nr]|$)'''
secretGroup = 2
keywords = ["sonar"]

[[rules]]
id = "pkcs12-file"
description = "Found a PKCS #12 file, which commonly contain bundled private keys."
path = '''(?i)(?:^|\/)[^\/]+\.p(?:12|fx)$'''
)toml";

const char* kExtendConfig = R"toml(
title = "acme gitleaks config"

[extend]
useDefault = true
disabledRules = ["slack-token-generic"]

[[rules]]
id = "acme-internal-token"
description = "ACME internal service token"
regex = '''\b(acme_[A-Za-z0-9]{32})\b'''
entropy = 3.5
keywords = ["acme_"]
tags = ["internal"]

# Same id as a default rule: replaces it.
[[rules]]
id = "stripe-live-secret-key"
description = "Stripe live key (ACME: warn only, keys are restricted)"
regex = '''\b((?:sk|rk)_live_[A-Za-z0-9]{24,247})\b'''
keywords = ["sk_live_", "rk_live_"]
action = "warn"
)toml";

struct Loaded {
  akgate::RuleSet rules;
  std::unique_ptr<akgate::Scanner> scanner;
  std::unique_ptr<akgate::ScanScratch> scratch;
  explicit Loaded(const char* toml) {
    akgate::Status s = akgate::LoadRulesFromString(toml, "<gitleaks test>", &rules);
    REQUIRE_MESSAGE(s.ok(), s.message());
    s = akgate::Scanner::Create(rules, &scanner);
    REQUIRE_MESSAGE(s.ok(), s.message());
    scratch = std::make_unique<akgate::ScanScratch>(*scanner);
  }
  akgate::FragmentResult Scan(const char* path, std::string_view text) { return scanner->Scan({path, text}, *scratch); }
};

bool HasRule(const akgate::RuleSet& rs, const std::string& id) { return rs.FindRule(id) != nullptr; }

bool HasPair(const akgate::RuleSet& rs, const std::string& id) {
  return std::any_of(rs.pairs.begin(), rs.pairs.end(), [&](const akgate::PairRule& p) { return p.id == id; });
}

}  // namespace

TEST_CASE("gitleaks config: rules, keys and the global allowlist are read as gitleaks defines them") {
  Loaded g(kGitleaksConfig);
  const akgate::RuleSet& rs = g.rules;
  CHECK(rs.title == "gitleaks config");
  CHECK(rs.rules.size() == 6);
  CHECK(rs.pairs.empty());
  CHECK(rs.load_warnings.empty());

  const akgate::Rule* id = rs.FindRule("alibaba-access-key-id");
  REQUIRE(id != nullptr);
  CHECK(id->entropy == doctest::Approx(2.0));
  CHECK(id->keywords == std::vector<std::string>{"ltai"});
  CHECK(id->secret_group == 0);                // gitleaks: the first group
  CHECK(id->action == akgate::Action::kWarn);  // gitleaks has no actions: a finding warns

  const akgate::Rule* aws = rs.FindRule("aws-access-token");
  REQUIRE(aws != nullptr);
  CHECK(aws->keywords.size() == 5);
  REQUIRE(aws->allowlists.size() == 1);
  CHECK(aws->allowlists[0].regexes == std::vector<std::string>{".+EXAMPLE$"});
  CHECK(aws->allowlists[0].target == akgate::Allowlist::Target::kSecret);

  const akgate::Rule* sonar = rs.FindRule("sonar-api-token");
  REQUIRE(sonar != nullptr);
  CHECK(sonar->secret_group == 2);

  const akgate::Rule* p12 = rs.FindRule("pkcs12-file");
  REQUIRE(p12 != nullptr);
  CHECK(p12->regex.empty());
  CHECK(!p12->path.empty());

  CHECK(rs.allowlist.paths.size() == 4);
  CHECK(rs.allowlist.regexes.size() == 3);
  CHECK(rs.allowlist.stopwords.size() == 2);
}

TEST_CASE("gitleaks config: findings, secretGroup, allowlists and path-only rules") {
  Loaded g(kGitleaksConfig);

  SUBCASE("an AccessKey ID and an Alibaba secret are two separate warnings (gitleaks does not pair)") {
    auto r = g.Scan("deploy/env.sh",
                    "export ALIBABA_KEY_ID=LTAI5tdp5Yt7sBR0bMUfHOWX\n"
                    "export ALIBABA_SECRET=4kdDOrxfn7gj9mEsaiTLG3z5PsRw01\n");
    REQUIRE(r.findings.size() == 2);
    CHECK(r.findings[0].rule_id == "alibaba-access-key-id");
    CHECK(r.findings[0].location().line == 1);
    CHECK(r.findings[1].rule_id == "alibaba-secret-key");
    CHECK(r.findings[1].location().line == 2);
    for (const auto& f : r.findings) CHECK(f.action == akgate::Action::kWarn);
  }

  SUBCASE("a rule allowlist drops AWS's documented example key") {
    CHECK(g.Scan("a.ini", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n").findings.empty());
    auto r = g.Scan("a.ini", "aws_access_key_id = AKIABVUK3YRLQT3CTKAS\n");
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].rule_id == "aws-access-token");
  }

  SUBCASE("secretGroup = 2 takes the token, not the key name") {
    auto r = g.Scan("sonar-project.properties", "sonar.login=squ_ariovve9pv75fl4t2887335z65mzjnvw28v39n1y\n");
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].rule_id == "sonar-api-token");
    CHECK(r.findings[0].redacted().rfind("squ_", 0) == 0);
  }

  SUBCASE("global path allowlist, rule path allowlist and stopwords") {
    const char* text = "token: ghp_HvAULzWabjF8dpbSUQlzh5Tj3yqvALakgGkG\n";
    CHECK(g.Scan("scripts/release.sh", text).findings.size() == 1);
    CHECK(g.Scan("web/node_modules/lib/index.js", text).findings.empty());
    CHECK(g.Scan("node_modules/@octokit/auth-token/README.md", text).findings.empty());
    CHECK(g.Scan("x.txt", "ALIBABA_SECRET=abcdefghijklmnopqrstuvwxyz0123\n").findings.empty());
  }

  SUBCASE("a path-only rule reports the file itself, with no line") {
    auto r = g.Scan("certs/client.p12", "MIIKcQIBAzCCCjcGCSqGSIb3DQEHAaCCCigEggokMIIKIDCCBNc\n");
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].rule_id == "pkcs12-file");
    CHECK(r.findings[0].location().offset == akgate::Location::kWholeFile);
    CHECK(r.findings[0].location().line == 0);
    CHECK(g.Scan("certs/client.pem", "x\n").findings.empty());
  }
}

TEST_CASE("gitleaks [extend] useDefault: the default rules, plus and minus the file's own") {
  Loaded g(kExtendConfig);
  const akgate::RuleSet& rs = g.rules;
  CHECK(rs.title == "acme gitleaks config");
  CHECK(HasRule(rs, "alibaba-accesskey-id"));
  CHECK(HasRule(rs, "acme-internal-token"));
  CHECK_FALSE(HasRule(rs, "slack-token-generic"));
  CHECK(HasPair(rs, "alibaba-accesskey-pair"));
  CHECK_FALSE(rs.base64_triggers.empty());
  const akgate::Rule* stripe = rs.FindRule("stripe-live-secret-key");
  REQUIRE(stripe != nullptr);
  CHECK(stripe->action == akgate::Action::kWarn);

  akgate::RuleSet defaults;
  REQUIRE(akgate::LoadDefaultRules(&defaults).ok());
  CHECK(rs.rules.size() == defaults.rules.size());  // one added, one removed, one replaced
  CHECK(rs.pairs.size() == defaults.pairs.size());

  SUBCASE("the file's own rule finds its token") {
    auto r = g.Scan("svc/config.yaml", "internal_token: acme_CVQWix3R2vtpVGkZKYz5yZ9rIKwu1sKZ\n");
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].rule_id == "acme-internal-token");
  }
  SUBCASE("default pairs still block") {
    auto r = g.Scan(
        "a.py", "client = AcsClient('LTAI5tdp5Yt7sBR0bMUfHOWX', '4kdDOrxfn7gj9mEsaiTLG3z5PsRw01', 'cn-hangzhou')\n");
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].rule_id == "alibaba-accesskey-pair");
    CHECK(r.findings[0].action == akgate::Action::kBlock);
  }
  SUBCASE("the replaced rule uses the file's action") {
    auto r = g.Scan("a.rb", "Stripe.api_key = 'sk_live_ROKSagFYcOvWh6OsUZTIV96q'\n");
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].action == akgate::Action::kWarn);
  }
}
