// The pusher's report and the audit record.
#include <doctest/doctest.h>

#include "report/audit_record.h"
#include "report/push_report.h"

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
  CHECK(Contains(no_options, "receive.advertisePushOptions"));
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
  CHECK(Contains(lines, "allowlist its fingerprint"));  // neither allow nor bypass permitted
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
