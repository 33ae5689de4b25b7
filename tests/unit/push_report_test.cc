// The pusher's report and the audit record.
#include "report/push_report.h"

#include <doctest/doctest.h>

#include "report/audit_record.h"

using namespace akgate;

namespace {

PushFinding Pair(int n, bool tip = true) {
  PushFinding pf;
  Finding& f = pf.finding;
  f.rule_id = "alibaba-accesskey-pair";
  f.description = "Alibaba Cloud AccessKey pair (ID and secret)";
  f.provider = "Alibaba Cloud";
  f.action = Action::kBlock;
  f.path = "config/a-rather-long-directory-name/and-another-one/application-" + std::to_string(n) + ".properties";
  f.fingerprint = "00000000000000" + std::string(1, static_cast<char>('a' + n % 6)) + std::to_string(n % 10);
  for (int k = 0; k < 2; ++k) {
    FindingPart p;
    p.name = k ? "AccessKey secret" : "AccessKey ID";
    p.rule_id = "x";
    p.location.line = 10 + k;
    p.redacted = k ? "abcd…yz" : "LTAI…9Q";
    p.fingerprint = "1111111111111111";
    f.parts.push_back(p);
  }
  pf.commit.id = std::string(40, '1');
  pf.commit.short_id = "1111111111";
  pf.commit.author = "Alice Example <alice@example.com>";
  pf.commit.subject = "Add the production configuration for the payment service, with credentials";
  pf.commit.parents = 1;
  pf.commit.is_tip = tip;
  return pf;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& l : lines) s += l + "\n";
  return s;
}

bool Contains(const std::vector<std::string>& lines, const std::string& needle) {
  return Join(lines).find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("a rejection: verdict, each finding, what to do; short lines") {
  PushInspection in;
  for (int i = 0; i < 7; ++i) in.findings.push_back(Pair(i, i == 0));
  in.stats.commits = 2;
  in.stats.blobs_scanned = 7;
  PushDecision d;
  d.accepted = false;
  d.cause = Cause::kFindings;
  d.blocking = 7;
  d.may_allow = true;
  d.dispositions.assign(7, Disposition::kBlocks);
  std::vector<std::string> lines = RenderPushReport(in, d, {});
  const std::string text = Join(lines);
  INFO(text);
  CHECK(lines[0] == "akgate: push REJECTED: 7 secrets found in the commits you are pushing.");
  CHECK(Contains(lines, "[1/7] Alibaba Cloud AccessKey pair (ID and secret)"));
  CHECK(Contains(lines, "[5/7]"));
  CHECK_FALSE(Contains(lines, "[6/7]"));
  CHECK(Contains(lines, "... and 2 more not shown (7 in all"));
  CHECK(Contains(lines, "commit 1111111111 by Alice Example <alice@example.com>"));
  CHECK(Contains(lines, "AccessKey secret  abcd…yz"));
  CHECK(Contains(lines, ":11"));
  CHECK(Contains(lines, "fingerprint 00000000000000a0"));
  CHECK(Contains(lines, "git commit --amend"));
  CHECK(Contains(lines, "git rebase -i 1111111111^"));
  CHECK(Contains(lines, "git filter-repo"));
  CHECK(Contains(lines, "RAM console"));
  CHECK(Contains(lines, "least"));
  CHECK(Contains(lines, "git push -o akgate.allow=00000000000000a0"));
  CHECK_FALSE(Contains(lines, "akgate.bypass"));  // this pusher may not bypass
  for (const std::string& l : lines) {
    CHECK(l.find('\033') == std::string::npos);
    CHECK(l.size() < 100);  // bytes; with git's "remote: " still under 100 characters
  }

  d.may_bypass = true;
  CHECK(Contains(RenderPushReport(in, d, {}), "git push -o akgate.bypass=\"why this is safe\""));

  d.push_options_accepted = false;  // the server does not advertise push options
  auto no_options = RenderPushReport(in, d, {});
  CHECK_FALSE(Contains(no_options, "git push -o akgate.allow=00"));
  CHECK_FALSE(Contains(no_options, "akgate.bypass"));
  CHECK(Contains(no_options, "(Push options, git push -o, are not available for this push.)"));
}

TEST_CASE("a root commit is rebased with --root; a tag message says so") {
  PushInspection in;
  in.findings.push_back(Pair(1, false));
  in.findings[0].commit.parents = 0;
  PushFinding tag = Pair(2);
  tag.source = SourceKind::kTagMessage;
  tag.ref = "refs/tags/v1.0";
  tag.commit = {};
  in.findings.push_back(tag);
  PushDecision d;
  d.accepted = false;
  d.cause = Cause::kFindings;
  d.dispositions.assign(2, Disposition::kBlocks);
  auto lines = RenderPushReport(in, d, {});
  CHECK(Contains(lines, "git rebase -i --root"));
  CHECK(Contains(lines, "in the message of tag refs/tags/v1.0"));
  CHECK(Contains(lines, "git tag -d"));
  CHECK(Contains(lines, "ask the akgate administrators to add"));  // neither allow nor bypass permitted
}

TEST_CASE("accepted forms: clean, warnings, bypassed, skipped files, pre-existing") {
  PushInspection in;
  in.stats.commits = 1;
  in.stats.blobs_scanned = 3;
  in.stats.bytes_scanned = 2048;
  PushDecision d;
  auto clean = RenderPushReport(in, d, {});
  REQUIRE(clean.size() == 1);
  CHECK(clean[0].rfind("akgate: push accepted: checked 1 new commit, 3 files (2.0 KiB)", 0) == 0);

  in.stats.skipped["binary"] = 1;
  in.stats.skipped_examples.push_back({"assets/logo.png", "1111111111", "binary", 5000});
  auto skipped = RenderPushReport(in, d, {});
  CHECK(Contains(skipped, "Not scanned: 1 file (binary 1):"));
  CHECK(Contains(skipped, "assets/logo.png (binary, 1111111111)"));

  in.findings.push_back(Pair(1));
  in.findings[0].finding.action = Action::kWarn;
  in.findings.push_back(Pair(2));
  in.findings[1].pre_existing = true;
  d.cause = Cause::kWarnings;
  d.dispositions = {Disposition::kWarns, Disposition::kPreExisting};
  auto warn = RenderPushReport(in, d, {});
  CHECK(warn[0].rfind("akgate: push accepted with 1 warning", 0) == 0);
  CHECK(Contains(warn, "1 secret was already in these files before this push"));
  d.verbose = true;
  CHECK(Contains(RenderPushReport(in, d, {}), "Already present before this push"));

  PushDecision b;
  b.accepted = true;
  b.cause = Cause::kBypassed;
  b.bypass_used = true;
  b.bypass_reason = "test fixture";
  b.pusher = "alice";
  b.dispositions = {Disposition::kBlocks, Disposition::kPreExisting};
  auto by = RenderPushReport(in, b, {});
  CHECK(by[0] == "akgate: push ACCEPTED: 1 secret found, bypassed by alice.");
  CHECK(Contains(by, "Reason given: \"test fixture\""));
  CHECK_FALSE(Contains(by, "How to fix it"));
}

TEST_CASE("errors and timeouts say what happened and what the policy decided") {
  PushInspection in;
  PushDecision d;
  d.accepted = false;
  d.cause = Cause::kTimeout;
  d.error = "the check took longer than its time budget of 5 s (time_budget in the policy)";
  d.fail_mode = FailMode::kBlock;
  auto lines = RenderPushReport(in, d, {});
  CHECK(lines[0] == "akgate: push REJECTED: the check did not finish in time.");
  CHECK(Contains(lines, "on_timeout = \"block\""));
  d.accepted = true;
  d.fail_mode = FailMode::kAllow;
  d.cause = Cause::kError;
  d.error = "policy /etc/akgate/policy.toml:3: limits.on_timeout must be ...";
  auto allowed = RenderPushReport(in, d, {});
  CHECK(allowed[0] == "akgate: push ACCEPTED WITHOUT A COMPLETE CHECK: the push could not be checked.");
  CHECK(Contains(allowed, "policy.toml:3"));
  CHECK(Contains(allowed, "on_error = \"allow\""));
}

TEST_CASE("monitor mode: the report says it would have been rejected, lists what, and why it went in") {
  PushInspection in;
  in.findings.push_back(Pair(3));
  in.stats.commits = 1;
  PushDecision d;
  d.accepted = true;
  d.monitored = true;
  d.cause = Cause::kFindings;
  d.blocking = 1;
  d.dispositions = {Disposition::kBlocks};
  PushReportOptions o;
  o.recorded = true;
  auto lines = RenderPushReport(in, d, o);
  CHECK(lines[0] ==
        "akgate: push ACCEPTED IN MONITOR MODE; it would have been REJECTED: 1 secret found in the commits you are "
        "pushing.");
  CHECK(Contains(lines, "[gate] mode = \"monitor\""));
  CHECK(Contains(lines, "This was recorded."));
  CHECK(Contains(lines, in.findings[0].finding.fingerprint));
  CHECK_FALSE(Contains(lines, "How to fix it"));  // nothing to push again; rotate
  CHECK(Contains(lines, "Rotate the key"));
  CHECK(RenderGitLabMessage(in, d, o).empty());
  CHECK(NotificationEvent(d) == "monitor");
  d.cause = Cause::kTimeout;
  d.error = "the check took longer than its time budget of 5 s (time_budget in the policy)";
  auto failed = RenderPushReport(in, d, o);
  CHECK(failed[0] ==
        "akgate: push ACCEPTED IN MONITOR MODE; it would have been REJECTED: the check did not finish in time.");
  CHECK(Contains(failed, "[gate] mode = \"monitor\""));
}

TEST_CASE("rotation advice exists for every default provider") {
  for (const char* p : {"Alibaba Cloud", "AWS", "Tencent Cloud", "Huawei Cloud", "Volcengine", "Google Cloud", "Azure",
                        "GitHub", "GitLab", "Slack", "Stripe"})
    CHECK(RotationAdvice(p).front().rfind(p, 0) == 0);
  CHECK_FALSE(RotationAdvice("generic").empty());
}

TEST_CASE("the audit record holds the decision, redacted findings and the bypass") {
  PushInspection in;
  in.repository = "/srv/git/app.git";
  in.refs.push_back({std::string(40, '0'), std::string(40, 'a'), "refs/heads/main"});
  in.findings.push_back(Pair(3));
  in.stats.commits = 1;
  in.stats.skipped["binary"] = 2;
  PushDecision d;
  d.accepted = true;
  d.cause = Cause::kBypassed;
  d.bypass_requested = d.bypass_used = true;
  d.bypass_reason = "test fixture";
  d.pusher = "alice";
  d.dispositions = {Disposition::kBlocks};
  AuditContext ctx;
  ctx.duration_ms = 12.5;
  nlohmann::json j = AuditRecord(in, d, ctx);
  CHECK(j["decision"] == "bypass");
  CHECK(j["cause"] == "bypassed");
  CHECK(j["pusher"] == "alice");
  CHECK(j["repo"] == "/srv/git/app.git");
  CHECK(j["refs"][0]["ref"] == "refs/heads/main");
  CHECK(j["commits"] == 1);
  CHECK(j["skipped"]["binary"] == 2);
  CHECK(j["bypass_reason"] == "test fixture");
  CHECK(j["findings"][0]["fingerprint"] == in.findings[0].finding.fingerprint);
  CHECK(j["findings"][0]["redacted"][0] == "LTAI…9Q");
  CHECK(j["findings"][0]["line"] == 10);
  CHECK(j["findings"][0]["disposition"] == "block");
  CHECK(j["time"].get<std::string>().size() == 24);
  CHECK(NotificationEvent(d) == "bypass");
  d.accepted = false;
  d.bypass_used = false;
  CHECK(NotificationEvent(d) == "block");
  CHECK(j.dump().find('\n') == std::string::npos);
}

TEST_CASE("the report promises a record or a notification only when the policy makes one") {
  PushInspection in;
  in.findings.push_back(Pair(1));
  PushDecision b;
  b.cause = Cause::kBypassed;
  b.bypass_used = true;
  b.bypass_reason = "test fixture";
  b.pusher = "alice";
  b.dispositions = {Disposition::kBlocks};
  PushReportOptions none;
  auto silent = RenderPushReport(in, b, none);
  CHECK_FALSE(Contains(silent, "recorded"));
  CHECK_FALSE(Contains(silent, "notified"));
  CHECK(Contains(silent, "Reason given: \"test fixture\". Rotate the key if it is real."));
  PushReportOptions audit_only;
  audit_only.recorded = true;
  CHECK(Contains(RenderPushReport(in, b, audit_only), "This was recorded. Rotate"));
  CHECK_FALSE(Contains(RenderPushReport(in, b, audit_only), "notified"));
  PushReportOptions both = audit_only;
  both.notified = true;
  CHECK(Contains(RenderPushReport(in, b, both), "This was recorded and the security team is notified."));

  // The hint to bypass says the same.
  PushDecision r;
  r.accepted = false;
  r.cause = Cause::kFindings;
  r.may_bypass = true;
  r.dispositions = {Disposition::kBlocks};
  CHECK(Contains(RenderPushReport(in, r, none), "       bypass the check:"));
  CHECK_FALSE(Contains(RenderPushReport(in, r, none), "notified"));
  CHECK(Contains(RenderPushReport(in, r, both), "bypass the check (recorded, and the security team is notified):"));

  // A push that could not be checked.
  PushDecision f;
  f.accepted = false;
  f.cause = Cause::kError;
  f.error = "cannot read the rules";
  CHECK_FALSE(Contains(RenderPushReport(in, f, none), "recorded"));
  CHECK(Contains(RenderPushReport(in, f, audit_only), "This was recorded."));

  // Allowed findings: "(recorded)" only with an audit log.
  PushDecision a;
  a.cause = Cause::kClean;
  a.dispositions = {Disposition::kAllowedByOption};
  CHECK(Contains(RenderPushReport(in, a, none), "Allowed:"));
  CHECK(Contains(RenderPushReport(in, a, audit_only), "Allowed (recorded):"));
}

TEST_CASE("an allowed finding's fingerprint is printed whole, however long its path") {
  PushInspection in;
  in.findings.push_back(Pair(4));
  in.findings[0].finding.path = std::string(150, 'd') + "/settings.properties";
  PushDecision a;
  a.dispositions = {Disposition::kAllowedByPolicy};
  auto lines = RenderPushReport(in, a, {});
  INFO(Join(lines));
  const std::string& fp = in.findings[0].finding.fingerprint;
  CHECK(Contains(lines, "    " + fp + "  allowed by the policy"));
  for (const std::string& l : lines) CHECK(l.size() < 100);
  // So is a rejected finding's, whatever its rule id.
  in.findings[0].finding.rule_id = std::string(90, 'r');
  a.dispositions = {Disposition::kBlocks};
  a.accepted = false;
  a.cause = Cause::kFindings;
  CHECK(Contains(RenderPushReport(in, a, {}), "fingerprint " + fp + "  "));
}

TEST_CASE("filter-repo advice: a file of SECRET==>REPLACEMENT lines, --force, never the secret") {
  PushInspection in;
  in.findings.push_back(Pair(1, false));  // an older commit
  PushDecision d;
  d.accepted = false;
  d.cause = Cause::kFindings;
  d.dispositions = {Disposition::kBlocks};
  auto lines = RenderPushReport(in, d, {});
  INFO(Join(lines));
  CHECK(Contains(lines, "as SECRET==>REMOVED"));
  CHECK(Contains(lines, "git filter-repo --replace-text ../secrets.txt --force\n"));
  CHECK(Contains(lines, "git remote add origin <url>"));
  CHECK_FALSE(Contains(lines, "<file with the secret>"));
}

TEST_CASE("a secret in a tag alone is reported as in the tag, not in commits") {
  PushInspection in;
  PushFinding tag = Pair(2);
  tag.source = SourceKind::kTagMessage;
  tag.ref = "refs/tags/v1.0";
  tag.commit = {};
  in.findings.push_back(tag);
  in.stats.tags = 1;
  PushDecision d;
  d.accepted = false;
  d.cause = Cause::kFindings;
  d.dispositions = {Disposition::kBlocks};
  auto lines = RenderPushReport(in, d, {});
  INFO(Join(lines));
  CHECK(lines[0] == "akgate: push REJECTED: 1 secret found in the tag you are pushing.");
  CHECK_FALSE(Contains(lines, "commit"));
  CHECK(Contains(lines, "1. Remove it from the tag you are pushing."));
  CHECK(Contains(lines, "git tag -d v1.0, then create it again without the secret"));
  CHECK(Contains(lines, "anyone who saw the tag may have copied it"));

  PushFinding tag2 = tag;
  tag2.ref = "refs/tags/v2.0";
  in.findings.push_back(tag2);
  d.dispositions.push_back(Disposition::kBlocks);
  CHECK(RenderPushReport(in, d, {})[0] == "akgate: push REJECTED: 2 secrets found in the tags you are pushing.");
  in.findings.push_back(Pair(3));
  d.dispositions.push_back(Disposition::kBlocks);
  CHECK(RenderPushReport(in, d, {})[0] ==
        "akgate: push REJECTED: 3 secrets found in the commits and tags you are pushing.");
}

TEST_CASE("without push options the report offers only what works: the allowlist lines for an administrator") {
  PushInspection in;
  in.findings.push_back(Pair(1));
  in.findings.push_back(Pair(2));
  PushDecision d;
  d.accepted = false;
  d.cause = Cause::kFindings;
  d.may_allow = d.may_bypass = true;
  d.dispositions.assign(2, Disposition::kBlocks);
  const std::string fp1 = in.findings[0].finding.fingerprint, fp2 = in.findings[1].finding.fingerprint;

  d.push_options_accepted = false;
  auto lines = RenderPushReport(in, d, {});
  INFO(Join(lines));
  CHECK_FALSE(Contains(lines, "git push -o akgate"));
  CHECK(Contains(lines, "3. If it is not a real secret (a false positive), ask the akgate administrators"));
  CHECK(Contains(lines, "[allowlist] fingerprints = [...] in the policy:"));
  // The lines paste into a TOML array as they are: what it was, then the fingerprint whole.
  CHECK(Contains(lines, "\n       # Alibaba Cloud AccessKey pair (ID and secret), config/"));
  CHECK(Contains(lines, "\n       \"" + fp1 + "\",\n"));
  CHECK(Contains(lines, "\n       \"" + fp2 + "\",\n"));
  for (const std::string& l : lines) CHECK(l.size() < 100);

  // With push options, -o first, and still the way that needs none.
  d.push_options_accepted = true;
  auto with = RenderPushReport(in, d, {});
  CHECK(Contains(with, "git push -o akgate.allow=" + fp1));
  CHECK(Contains(with, "git push -o akgate.bypass="));
  CHECK(Contains(with, "or ask the akgate administrators to add these lines"));
  CHECK(Contains(with, "       \"" + fp2 + "\",\n"));
}

TEST_CASE("GitLab's web UI gets the rejection in GL-HOOK-ERR lines") {
  PushInspection in;
  in.findings.push_back(Pair(1));
  PushDecision d;
  d.accepted = false;
  d.cause = Cause::kFindings;
  d.dispositions = {Disposition::kBlocks};
  auto lines = RenderGitLabMessage(in, d, {});
  INFO(Join(lines));
  REQUIRE(lines.size() == 3);
  for (const std::string& l : lines) CHECK(l.rfind("GL-HOOK-ERR: ", 0) == 0);
  CHECK(lines[0] == "GL-HOOK-ERR: akgate: push REJECTED: 1 secret found in the commits you are pushing.");
  CHECK(Contains(lines, "Alibaba Cloud AccessKey pair (ID and secret) in config/"));
  CHECK(Contains(lines, "(commit 1111111111), fingerprint " + in.findings[0].finding.fingerprint + "."));
  CHECK(Contains(lines, "rotate the key"));

  PushDecision f;
  f.accepted = false;
  f.cause = Cause::kError;
  f.error = "cannot load the rules: x";
  auto failed = RenderGitLabMessage(in, f, {});
  CHECK(failed[0] == "GL-HOOK-ERR: akgate: push REJECTED: the push could not be checked.");
  CHECK(failed[1] == "GL-HOOK-ERR: cannot load the rules: x");

  PushDecision ok;
  CHECK(RenderGitLabMessage(in, ok, {}).empty());
}
