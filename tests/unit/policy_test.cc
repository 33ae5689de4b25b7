// The policy file, push options, the rules the policy implies, and the decision.
#include "policy/policy.h"

#include <doctest/doctest.h>

#include <fstream>

#include "engine/rule_loader.h"
#include "git_fixture.h"
#include "policy/decision.h"
#include "policy/policy_rules.h"
#include "policy/push_options.h"

using namespace akgate;
using namespace akgate::testing;

namespace {

Status Parse(const std::string& text, Policy* p) {
  return ParsePolicy(text, "/etc/akgate/policy.toml", "/etc/akgate", p);
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

PushFinding MakeFinding(const std::string& rule, Action action, const std::string& fp, bool pre = false) {
  PushFinding pf;
  pf.finding.rule_id = rule;
  pf.finding.description = "AccessKey pair";
  pf.finding.provider = "Alibaba Cloud";
  pf.finding.action = action;
  pf.finding.path = "app.ini";
  pf.finding.fingerprint = fp;
  FindingPart part;
  part.name = "AccessKey ID";
  part.rule_id = rule;
  part.location.line = 3;
  part.redacted = "LTAI…xy";
  part.fingerprint = fp.substr(0, 15) + "0";
  pf.finding.parts.push_back(part);
  pf.pre_existing = pre;
  pf.commit.id = std::string(40, 'c');
  pf.commit.short_id = std::string(10, 'c');
  return pf;
}

PushRequest Request(const std::string& pusher, std::vector<std::string> options = {}) {
  return PushRequest{pusher, ParsePushOptions(options)};
}

}  // namespace

TEST_CASE("policy defaults: fail closed, nobody bypasses, everyone may allow one finding with a reason") {
  Policy p;
  CHECK(p.on_error == FailMode::kBlock);
  CHECK(p.on_timeout == FailMode::kBlock);
  CHECK(p.bypass_who.empty());
  CHECK(PusherListed(p.allow_who, "anyone"));
  CHECK(p.allow_require_reason);
  CHECK(p.max_findings == 5);
  CHECK_FALSE(p.inline_allow);  // an akgate:allow line in pushed content is not honoured
}

TEST_CASE("[allowlist] inline is \"allow\" or \"block\" (true / false read alike)") {
  Policy p;
  REQUIRE(Parse("[allowlist]\ninline = \"allow\"\n", &p).ok());
  CHECK(p.inline_allow);
  REQUIRE(Parse("[allowlist]\ninline = \"block\"\n", &p).ok());
  CHECK_FALSE(p.inline_allow);
  REQUIRE(Parse("[allowlist]\ninline = true\n", &p).ok());
  CHECK(p.inline_allow);
  Status s = Parse("[allowlist]\ninline = \"maybe\"\n", &p);
  CHECK(s.message() == "policy /etc/akgate/policy.toml:2: allowlist: 'inline' must be \"allow\" or \"block\"");
  REQUIRE(Parse("[bypass]\nallow_require_reason = false\n", &p).ok());
  CHECK_FALSE(p.allow_require_reason);
}

TEST_CASE("a full policy file parses") {
  Policy p;
  Status s = Parse(R"(
[rules]
files = ["rules/custom.toml", "/abs/more.toml"]
[rules.actions]
alibaba-accesskey-pair = "block"
generic-api-key = "off"
[allowlist]
paths = ['''(^|/)testdata/''']
fingerprints = ["0123456789ABCDEF"]
inline = false
[limits]
max_file_size = "10 MiB"
time_budget = 4.5
on_timeout = "allow"
on_error = "block"
[report]
max_findings = 3
show_pre_existing = true
[bypass]
who = ["alice", "release-bot"]
require_reason = false
allow_who = ["alice"]
[audit]
log = "/var/log/akgate/audit.log"
[notify]
webhook = "https://hooks.example.com/akgate?token=x"
webhook_timeout = 2
command = "logger -t akgate"
command_timeout = 1
)",
                   &p);
  REQUIRE_MESSAGE(s.ok(), s.message());
  CHECK(p.rule_files == std::vector<std::string>{"/etc/akgate/rules/custom.toml", "/abs/more.toml"});
  CHECK(p.rule_actions.at("generic-api-key") == Action::kOff);
  CHECK(p.allow_fingerprints == std::vector<std::string>{"0123456789abcdef"});
  CHECK_FALSE(p.inline_allow);
  CHECK(p.max_file_bytes == 10u << 20);
  CHECK(p.time_budget == doctest::Approx(4.5));
  CHECK(p.on_timeout == FailMode::kAllow);
  CHECK(p.max_findings == 3);
  CHECK(p.show_pre_existing);
  CHECK(PusherListed(p.bypass_who, "alice"));
  CHECK_FALSE(PusherListed(p.bypass_who, "bob"));
  CHECK_FALSE(p.bypass_require_reason);
  CHECK(p.notify_command == std::vector<std::string>{"/bin/sh", "-c", "logger -t akgate"});
  CHECK(p.sources == std::vector<std::string>{"/etc/akgate/policy.toml"});
}

TEST_CASE("the commented example policy parses and matches the defaults") {
  Policy p;
  Status s = LoadPolicy({std::string(AKGATE_SOURCE_DIR) + "/install/policy.example.toml", true, ""}, &p);
  REQUIRE_MESSAGE(s.ok(), s.message());
  Policy d;
  CHECK(p.time_budget == d.time_budget);
  CHECK(p.on_error == d.on_error);
  CHECK(p.on_timeout == d.on_timeout);
  CHECK(p.bypass_who == d.bypass_who);
  CHECK(p.allow_who == d.allow_who);
  CHECK(p.allow_require_reason == d.allow_require_reason);
  CHECK(p.inline_allow == d.inline_allow);
  CHECK(p.audit_log == d.audit_log);
  CHECK(p.max_findings == d.max_findings);
  CHECK(p.language == d.language);
  CHECK(p.webhook_timeout == d.webhook_timeout);
  CHECK(p.command_timeout == d.command_timeout);
}

TEST_CASE("policy errors name the file, the line and the key") {
  Policy p;
  Status s = Parse("[limits]\n\non_timeout = \"maybe\"\n", &p);
  CHECK_FALSE(s.ok());
  CHECK(s.message() ==
        "policy /etc/akgate/policy.toml:3: limits: 'on_timeout' must be \"block\" or \"allow\", not \"maybe\"");

  s = Parse("[limits]\ntime_budgt = 3\n", &p);
  CHECK(s.message().find(":2: limits: unknown key 'time_budgt' (did you mean 'time_budget'?)") != std::string::npos);

  s = Parse("[limits\n", &p);
  CHECK(s.message().rfind("policy /etc/akgate/policy.toml:1:", 0) == 0);  // line, then column

  s = Parse("[allowlist]\nfingerprints = [\"xyz\"]\n", &p);
  CHECK(s.message().find("16 hex digits") != std::string::npos);

  s = Parse("[notify]\nwebhook = \"ftp://x\"\n", &p);
  CHECK(s.message().find("http:// or https://") != std::string::npos);

  s = Parse("[bypass]\nwho = \"alice\"\n", &p);
  CHECK(s.message().find("bypass: 'who' must be an array of strings") != std::string::npos);

  s = Parse("surprise = 1\n", &p);
  CHECK(s.message().find("unknown key 'surprise'") != std::string::npos);
}

TEST_CASE("limits.max_file_size too large for 64 bits is an error naming the key, not a crash or a wrapped size") {
  // Found by fuzz/policy_fuzzer.cc (fuzz/corpus/policy/crash-size-overflow):
  // std::stoull threw std::out_of_range through ParsePolicy (the hook died),
  // and a size times its unit wrapped ("16 EiB" as GiB read as 0: no limit).
  for (const char* size : {"\"99999999999999999999999\"", "\"17179869184 GiB\"", "\"18446744073709551615 K\""}) {
    INFO("max_file_size = " << std::string(size));
    Policy p;
    Status s = Status::Ok();
    CHECK_NOTHROW(s = Parse(std::string("[limits]\nmax_file_size = ") + size + "\n", &p));
    CHECK_FALSE(s.ok());
    CHECK(s.message().find(":2: limits: 'max_file_size' must be a size in bytes") != std::string::npos);
    CHECK(p.max_file_bytes == Policy().max_file_bytes);
  }
  Policy p;
  REQUIRE(Parse("[limits]\nmax_file_size = \"17179869183 GiB\"\n", &p).ok());
  CHECK(p.max_file_bytes == (uint64_t{17179869183} << 30));
}

TEST_CASE("[report] language: en or zh-CN (and its spellings); the repository's wins; else an error") {
  Policy p;
  CHECK(p.language == Language::kEnglish);
  REQUIRE(Parse("[report]\nlanguage = \"zh-CN\"\n", &p).ok());
  CHECK(p.language == Language::kChinese);
  REQUIRE(Parse("[report]\nlanguage = \"EN\"\n", &p).ok());
  CHECK(p.language == Language::kEnglish);
  REQUIRE(Parse("[report]\nlanguage = \"zh_hans\"\n", &p).ok());
  CHECK(p.language == Language::kChinese);
  REQUIRE(ParsePolicy("[report]\nlanguage = \"en\"\n", "/srv/git/app.git/akgate.toml", "", &p).ok());
  CHECK(p.language == Language::kEnglish);  // laid over: the repository's file wins

  Status s = Parse("[report]\nmax_findings = 3\nlanguage = \"zh-TW\"\n", &p);
  CHECK(s.message() ==
        "policy /etc/akgate/policy.toml:3: report: 'language' must be \"en\" or \"zh-CN\", not \"zh-TW\"");
  CHECK(p.language == Language::kEnglish);  // a file with an error changes nothing
  s = Parse("[report]\nlanguage = 1\n", &p);
  CHECK(s.message() == "policy /etc/akgate/policy.toml:2: report: 'language' must be a string");
  s = Parse("language = \"zh-CN\"\n", &p);  // its place is [report]
  CHECK(s.message().find("unknown key 'language'") != std::string::npos);
}

TEST_CASE("-o akgate.lang: a language for this push; anything else a note, never a failure") {
  CHECK(ParsePushOptions({"akgate.lang=zh-CN"}).language == Language::kChinese);
  CHECK(ParsePushOptions({"akgate.lang=zh"}).language == Language::kChinese);
  CHECK(ParsePushOptions({"akgate.lang=en"}).language == Language::kEnglish);
  CHECK_FALSE(ParsePushOptions({}).language.has_value());
  PushOptions bad = ParsePushOptions({std::string("akgate.lang=kl\x1bingon")});
  CHECK_FALSE(bad.language.has_value());
  CHECK(bad.unknown_language == "kl ingon");  // control bytes removed
  CHECK(bad.problems.empty());                // the report's note says it, in the report's language
  CHECK(ParsePushOptions({"akgate.lang"}).unknown_language == "\"\"");
}

TEST_CASE("no setting of a policy file that did not load is used, and such a policy fails closed") {
  SUBCASE("semantic error after on_error: nothing of the file is taken") {
    Policy p;
    CHECK_FALSE(Parse("[limits]\non_error = \"allow\"\n[bypass]\nallow_who = [\"*\"]\nwho = 3\n", &p).ok());
    CHECK(p.on_error == FailMode::kBlock);
    CHECK(p.allow_who == Policy().allow_who);
    CHECK(p.sources.empty());
  }
  SUBCASE("a file that does not parse: its on_error line is not read") {
    Policy p;
    CHECK_FALSE(Parse("[limits]\non_error = \"allow\"  # fail open\n[[[broken\n", &p).ok());
    CHECK(p.on_error == FailMode::kBlock);
  }
  SUBCASE("a broken repository file over a server file with on_error = allow: blocked, the file named") {
    TempDir d;
    Write(d.path() + "/server.toml", "[limits]\non_error = \"allow\"\n[bypass]\nwho = [\"alice\"]\n");
    Write(d.path() + "/akgate.toml", "[limits]\non_error = \"allow\"\n[bypass]\nwho = [\"*\"]\n[[[ not toml\n");
    Policy p;
    Status s = LoadPolicy({d.path() + "/server.toml", true, d.path() + "/akgate.toml"}, &p);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().rfind("policy " + d.path() + "/akgate.toml:5:", 0) == 0);
    CHECK(p.unreadable == s.message());
    CHECK(p.bypass_who == std::vector<std::string>{"alice"});  // only the server file's, which loaded
    PushDecision e = DecideFailure(Cause::kError, s.message(), p, Request("bob"));
    CHECK_FALSE(e.accepted);
    CHECK(e.fail_mode == FailMode::kBlock);
    CHECK(e.policy_unreadable);
    PushDecision t = DecideFailure(Cause::kTimeout, "slow", p, Request("bob"));
    CHECK_FALSE(t.accepted);
  }
}

TEST_CASE("server and repository files: the repository's laid over the server's") {
  TempDir d;
  Write(d.path() + "/server.toml",
        "[allowlist]\npaths = ['^vendor/']\n[bypass]\nwho = ['alice']\n[limits]\ntime_budget = 10\n");
  Write(d.path() + "/repo.toml", "[allowlist]\npaths = ['^docs/']\n[bypass]\nwho = ['bob']\n");
  Policy p;
  PolicyFiles f{d.path() + "/server.toml", true, d.path() + "/repo.toml"};
  REQUIRE(LoadPolicy(f, &p).ok());
  CHECK(p.allow_paths == std::vector<std::string>{"^vendor/", "^docs/"});  // lists under [allowlist] add up
  CHECK(p.bypass_who == std::vector<std::string>{"bob"});                  // other lists replace
  CHECK(p.time_budget == doctest::Approx(10));
  CHECK(p.sources.size() == 2);

  Policy q;
  CHECK(LoadPolicy({d.path() + "/missing.toml", false, ""}, &q).ok());  // the default path may be absent
  Status s = LoadPolicy({d.path() + "/missing.toml", true, ""}, &q);    // an explicit one may not
  CHECK(s.message().find("no such file") != std::string::npos);
  Write(d.path() + "/bad-repo.toml", "[limits]\non_timeout = 1\n");
  s = LoadPolicy({d.path() + "/server.toml", true, d.path() + "/bad-repo.toml"}, &q);
  CHECK(s.message().find("bad-repo.toml:2") != std::string::npos);
}

TEST_CASE("the policy's overrides reach the rules") {
  Policy p;
  p.rule_actions["alibaba-accesskey-pair"] = Action::kWarn;
  p.rule_actions["no-such-rule"] = Action::kOff;
  p.allow_paths = {"^vendor/"};
  p.max_file_bytes = 1234;
  RuleSet rules;
  std::vector<std::string> warnings;
  Status s = BuildRules(p, &rules, &warnings);
  REQUIRE_MESSAGE(s.ok(), s.message());
  bool found = false;
  for (const PairRule& pr : rules.pairs)
    if (pr.id == "alibaba-accesskey-pair") {
      CHECK(pr.action == Action::kWarn);
      found = true;
    }
  CHECK(found);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("no-such-rule") != std::string::npos);
  CHECK(rules.allowlist.paths.back() == "^vendor/");
  CHECK_FALSE(rules.limits.inline_allow_markers.empty());  // marked, then decided by the policy
  CHECK(rules.limits.max_fragment_bytes == 1234);

  Policy bad;
  bad.rule_files = {"/nonexistent/rules.toml"};
  CHECK_FALSE(BuildRules(bad, &rules, &warnings).ok());
}

TEST_CASE("push options") {
  PushOptions o = ParsePushOptions({"ci.skip", "akgate.bypass=false positive: test fixture",
                                    "akgate.allow=0123456789ABCDEF,fedcba9876543210", "akgate.allow=nothex",
                                    "akgate.verbose", "akgate.reason=fixture\tin tests", "akgate.frobnicate=1"});
  CHECK(o.bypass);
  CHECK(o.bypass_reason == "false positive: test fixture");
  CHECK(o.allow == std::vector<std::string>{"0123456789abcdef", "fedcba9876543210"});
  CHECK(o.verbose);
  CHECK(o.reason == "fixture in tests");
  REQUIRE(o.problems.size() == 2);
  CHECK(o.problems[0].find("nothex") != std::string::npos);
  CHECK(o.problems[1].find("akgate.frobnicate") != std::string::npos);

  PushOptions bare = ParsePushOptions({"akgate.bypass"});
  CHECK(bare.bypass);
  CHECK(bare.bypass_reason.empty());
  PushOptions ctl = ParsePushOptions({std::string("akgate.bypass=a\nb\x1b[31m")});
  CHECK(ctl.bypass_reason.find('\n') == std::string::npos);
  CHECK(ctl.bypass_reason.find('\x1b') == std::string::npos);
}

TEST_CASE("decisions") {
  PushInspection in;
  in.findings.push_back(MakeFinding("pair", Action::kBlock, "aaaaaaaaaaaaaaaa"));
  in.findings.push_back(MakeFinding("single", Action::kWarn, "bbbbbbbbbbbbbbbb"));
  in.findings.push_back(MakeFinding("pair", Action::kBlock, "cccccccccccccccc", /*pre=*/true));
  Policy p;

  SUBCASE("a blocking finding rejects; warnings and pre-existing do not") {
    PushDecision d = Decide(in, p, Request("bob"));
    CHECK_FALSE(d.accepted);
    CHECK(d.cause == Cause::kFindings);
    CHECK(d.blocking == 1);
    CHECK(d.warnings == 1);
    CHECK(d.pre_existing == 1);
    CHECK(d.dispositions ==
          std::vector<Disposition>{Disposition::kBlocks, Disposition::kWarns, Disposition::kPreExisting});
    CHECK(d.exit_code() == 1);
    CHECK(d.notify());
  }
  SUBCASE("-o akgate.allow=<fp> with a reason allows that finding, audited and notified") {
    PushDecision d = Decide(in, p,
                            Request("bob", {"akgate.allow=aaaaaaaaaaaaaaaa", "akgate.allow=dddddddddddddddd",
                                            "akgate.reason=test fixture"}));
    CHECK(d.accepted);
    CHECK(d.cause == Cause::kAllowed);  // never "clean"
    CHECK(d.dispositions[0] == Disposition::kAllowedByOption);
    CHECK(d.allowed_by_option == std::vector<std::string>{"aaaaaaaaaaaaaaaa"});
    CHECK(d.allow_unused == std::vector<std::string>{"dddddddddddddddd"});
    CHECK(d.allow_reason == "test fixture");
    CHECK(d.notify());
    CHECK(d.must_be_recorded());
  }
  SUBCASE("-o akgate.allow without a reason is refused, saying how to give one") {
    PushDecision d = Decide(in, p, Request("bob", {"akgate.allow=aaaaaaaaaaaaaaaa"}));
    CHECK_FALSE(d.accepted);
    CHECK(d.dispositions[0] == Disposition::kBlocks);
    CHECK(d.allow_refused.find("akgate.reason=") != std::string::npos);
    CHECK(d.may_allow);  // the report still shows the way
    p.allow_require_reason = false;
    CHECK(Decide(in, p, Request("bob", {"akgate.allow=aaaaaaaaaaaaaaaa"})).accepted);
  }
  SUBCASE("a part's fingerprint allows the finding too") {
    PushDecision d = Decide(in, p, Request("bob", {"akgate.allow=aaaaaaaaaaaaaaa0", "akgate.reason=sample"}));
    CHECK(d.accepted);
    CHECK(d.allowed_by_option == std::vector<std::string>{"aaaaaaaaaaaaaaa0"});
  }
  SUBCASE("-o akgate.allow is refused for pushers the policy does not list") {
    p.allow_who = {"alice"};
    PushDecision d = Decide(in, p, Request("bob", {"akgate.allow=aaaaaaaaaaaaaaaa", "akgate.reason=x"}));
    CHECK_FALSE(d.accepted);
    CHECK(d.allow_refused.find("bob") != std::string::npos);
  }
  SUBCASE("the policy's fingerprint allowlist") {
    p.allow_fingerprints = {"aaaaaaaaaaaaaaaa"};
    PushDecision d = Decide(in, p, Request("bob"));
    CHECK(d.accepted);
    CHECK(d.dispositions[0] == Disposition::kAllowedByPolicy);
    CHECK(d.cause == Cause::kAllowed);
    CHECK_FALSE(d.notify());
    CHECK_FALSE(d.must_be_recorded());  // the admin allowed it in advance
  }
  SUBCASE("a finding on an akgate:allow line: blocks by default, with a note; allowed when the policy says so") {
    in.findings[0].finding.inline_allowed = true;
    PushDecision d = Decide(in, p, Request("bob"));
    CHECK_FALSE(d.accepted);
    CHECK(d.dispositions[0] == Disposition::kBlocks);
    CHECK(d.inline_refused == 1);  // the report tells the pusher why (push_gate_test, report_language_test)
    p.inline_allow = true;
    d = Decide(in, p, Request("bob"));
    CHECK(d.accepted);
    CHECK(d.cause == Cause::kAllowed);
    CHECK(d.dispositions[0] == Disposition::kAllowedInline);
    CHECK(d.allowed_inline == 1);
    CHECK(d.notify());
    CHECK(d.must_be_recorded());
  }
  SUBCASE("bypass: allowed for listed pushers with a reason") {
    p.bypass_who = {"alice"};
    PushDecision d = Decide(in, p, Request("alice", {"akgate.bypass=test fixture"}));
    CHECK(d.accepted);
    CHECK(d.bypass_used);
    CHECK(d.cause == Cause::kBypassed);
    CHECK(d.bypass_reason == "test fixture");
    CHECK(d.notify());
    CHECK(d.must_be_recorded());
    RefuseUnrecorded("cannot open the audit log", &d);
    CHECK_FALSE(d.accepted);
    CHECK_FALSE(d.bypass_used);
    CHECK(d.cause == Cause::kUnrecorded);
    CHECK(d.error.find("would be bypassed") != std::string::npos);
    CHECK(DecisionName(d) == std::string("reject"));
  }
  SUBCASE("bypass: refused for others, and without a reason") {
    p.bypass_who = {"alice"};
    PushDecision d = Decide(in, p, Request("bob", {"akgate.bypass=please"}));
    CHECK_FALSE(d.accepted);
    CHECK(d.bypass_refused.find("bob") != std::string::npos);
    PushDecision e = Decide(in, p, Request("alice", {"akgate.bypass"}));
    CHECK_FALSE(e.accepted);
    CHECK(e.bypass_refused.find("reason is required") != std::string::npos);
    p.bypass_require_reason = false;
    CHECK(Decide(in, p, Request("alice", {"akgate.bypass"})).accepted);
    p.bypass_who = {"*"};
    CHECK(Decide(in, p, Request("anyone", {"akgate.bypass=ok"})).accepted);
  }
  SUBCASE("a clean push") {
    PushInspection clean;
    PushDecision d = Decide(clean, p, Request("bob"));
    CHECK(d.accepted);
    CHECK(d.cause == Cause::kClean);
    CHECK_FALSE(d.notify());
  }
  SUBCASE("errors and timeouts follow on_error / on_timeout") {
    PushDecision e = DecideFailure(Cause::kError, "broken", p, Request("bob"));
    CHECK_FALSE(e.accepted);
    CHECK(e.fail_mode == FailMode::kBlock);
    p.on_timeout = FailMode::kAllow;
    PushDecision t = DecideFailure(Cause::kTimeout, "slow", p, Request("bob"));
    CHECK(t.accepted);
    CHECK(t.cause == Cause::kTimeout);
    CHECK(t.must_be_recorded());  // a fail-open
    CHECK_FALSE(e.must_be_recorded());
    p.bypass_who = {"bob"};
    PushDecision b = DecideFailure(Cause::kError, "broken", p, Request("bob", {"akgate.bypass=urgent fix"}));
    CHECK(b.accepted);
    CHECK(b.bypass_used);
  }
  SUBCASE("monitor mode: decided as when enforcing, then let through, recorded, notified") {
    p.monitor = true;
    PushDecision d = Decide(in, p, Request("bob"));
    CHECK(d.accepted);
    CHECK(d.monitored);
    CHECK(d.cause == Cause::kFindings);  // what would have rejected it
    CHECK(d.blocking == 1);
    CHECK(d.dispositions[0] == Disposition::kBlocks);
    CHECK(DecisionName(d) == std::string("monitor"));
    CHECK(d.exit_code() == 0);
    CHECK(d.notify());
    CHECK(d.must_be_recorded());
    RefuseUnrecorded("cannot open the audit log", &d);  // unrecorded, it is refused like a bypass
    CHECK_FALSE(d.accepted);
    CHECK_FALSE(d.monitored);
    CHECK(d.error.find("let through in monitor mode") != std::string::npos);
    // A permitted bypass is still a bypass; a clean push is nothing to monitor.
    p.bypass_who = {"bob"};
    PushDecision b = Decide(in, p, Request("bob", {"akgate.bypass=hotfix"}));
    CHECK(b.bypass_used);
    CHECK_FALSE(b.monitored);
    PushDecision c = Decide(PushInspection{}, p, Request("bob"));
    CHECK_FALSE(c.monitored);
    CHECK_FALSE(c.must_be_recorded());
    // A check that failed or timed out is let through too, its fail mode kept.
    PushDecision t = DecideFailure(Cause::kTimeout, "slow", p, Request("carol"));
    CHECK(t.accepted);
    CHECK(t.monitored);
    CHECK(t.fail_mode == FailMode::kBlock);
    // A policy that did not load is not trusted to say "monitor".
    p.unreadable = "policy x.toml:1: broken";
    PushDecision u = DecideFailure(Cause::kError, "broken", p, Request("carol"));
    CHECK_FALSE(u.accepted);
    CHECK_FALSE(u.monitored);
  }
}

TEST_CASE("[gate] mode: \"enforce\" or \"monitor\"; the repository's file may set it; anything else an error") {
  Policy p;
  CHECK_FALSE(p.monitor);
  REQUIRE(Parse("[gate]\nmode = \"monitor\"\n", &p).ok());
  CHECK(p.monitor);
  REQUIRE(Parse("[gate]\nmode = \"enforce\"\n", &p).ok());
  CHECK_FALSE(p.monitor);
  Status s = Parse("[gate]\nmode = \"audit\"\n", &p);
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("gate: 'mode' must be \"enforce\" or \"monitor\", not \"audit\"") != std::string::npos);
  CHECK(s.message().find("policy.toml:2") != std::string::npos);
  s = Parse("[gate]\nmonitor = true\n", &p);
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("monitor") != std::string::npos);
}
