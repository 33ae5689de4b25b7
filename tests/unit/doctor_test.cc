// akgate doctor's pure pieces: severities and the exit code, the text and
// JSON renderings, permissions judged for another account, the git version,
// the policy checks of fail mode, time budget and webhook URL, a
// certificate's expiry, and reading an installed wrapper back.
#include <doctest/doctest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>

#include "doctor/account.h"
#include "doctor/check.h"
#include "doctor/gateway_checks.h"
#include "doctor/policy_checks.h"
#include "doctor/repository_checks.h"
#include "installer/hook_installer.h"

using namespace akgate;
using namespace akgate::doctor;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/akgate-doctor.XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

const Check* Find(const Group& g, const std::string& id) {
  for (const Check& c : g.checks)
    if (c.id == id) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("doctor: exit code 0 for ok and info only, 1 from warn upwards") {
  Report r;
  Group& g = r.Add("x");
  g.Add("a", Severity::kOk, "fine");
  g.Add("b", Severity::kInfo, "note");
  CHECK(ExitCode(r) == 0);
  CHECK(r.Worst() == Severity::kInfo);
  for (Severity s : {Severity::kWarn, Severity::kRisk, Severity::kError}) {
    Report r2 = r;
    r2.groups[0].Add("c", s, "bad", "do this");
    CHECK(ExitCode(r2) == 1);
    CHECK(r2.Worst() == s);
  }
}

TEST_CASE("doctor: text has one line per check under its subject, the fix indented, and a summary") {
  Report r;
  Group& g = r.Add("/srv/git/app.git (repository)");
  g.Add("hook.present", Severity::kOk, "akgate's hook is there");
  g.Add("policy.fail-mode", Severity::kRisk, "fail open", "on_error = \"block\"\nsecond line");
  std::string text = RenderText(r);
  CHECK(text ==
        "/srv/git/app.git (repository)\n"
        "  ok    hook.present: akgate's hook is there\n"
        "  RISK  policy.fail-mode: fail open\n"
        "        fix: on_error = \"block\"\n"
        "             second line\n"
        "1 ok, 0 info, 0 warn, 1 risk, 0 error\n");
}

TEST_CASE("doctor: JSON carries status, exit code, counts and every check") {
  Report r;
  r.Add("a").Add("x.y", Severity::kWarn, "finding", "fix");
  r.Add("b").Add("z", Severity::kOk, "fine");
  nlohmann::json j = RenderJson(r);
  CHECK(j["status"] == "warn");
  CHECK(j["exit_code"] == 1);
  CHECK(j["counts"]["warn"] == 1);
  CHECK(j["counts"]["ok"] == 1);
  REQUIRE(j["groups"].size() == 2);
  CHECK(j["groups"][0]["subject"] == "a");
  CHECK(j["groups"][0]["checks"][0] ==
        nlohmann::json({{"id", "x.y"}, {"severity", "warn"}, {"finding", "finding"}, {"fix", "fix"}}));
}

TEST_CASE("doctor: permissions are judged for the account's uid and groups, not the caller's") {
  const std::vector<gid_t> groups = {100, 200};
  CHECK(ModePermits(1000, groups, 1000, 0, 0600, kRead | kWrite));
  CHECK_FALSE(ModePermits(1000, groups, 1000, 0, 0400, kWrite));
  // Owner bits apply to the owner even when the group bits would allow more.
  CHECK_FALSE(ModePermits(1000, groups, 1000, 200, 0070, kRead));
  CHECK(ModePermits(1000, groups, 0, 200, 0660, kWrite));
  CHECK_FALSE(ModePermits(1000, groups, 0, 300, 0660, kWrite));
  CHECK(ModePermits(1000, groups, 0, 300, 0662, kWrite));
  CHECK(ModePermits(1000, groups, 0, 0, 0755, kRead | kExec));
  CHECK_FALSE(ModePermits(1000, groups, 0, 0, 0644, kExec));
  // root: anything, but a file no one may execute is not executable for root either.
  CHECK(ModePermits(0, {}, 1000, 1000, 0600, kRead | kWrite));
  CHECK_FALSE(ModePermits(0, {}, 1000, 1000, 0644, kExec));
}

TEST_CASE("doctor: git versions") {
  CHECK(ParseGitVersion("git version 2.39.5") == 2039005);
  CHECK(ParseGitVersion("git version 2.11.0.windows.1") == 2011000);
  CHECK(ParseGitVersion("git version 2.9") == 2009000);
  CHECK(ParseGitVersion("") == 0);
  CHECK(ParseGitVersion("hub version 2.14.2") == 0);
}

TEST_CASE("doctor: fail-open policies are a risk, with the config line that closes them") {
  Policy p;
  Group g;
  CheckFailMode(p, "/etc/akgate/policy.toml", &g);
  REQUIRE(g.checks.size() == 1);
  CHECK(g.checks[0].severity == Severity::kOk);

  p.on_timeout = FailMode::kAllow;
  Group open;
  CheckFailMode(p, "/etc/akgate/policy.toml", &open);
  REQUIRE(open.checks.size() == 1);
  CHECK(open.checks[0].severity == Severity::kRisk);
  CHECK(open.checks[0].finding.find("on_timeout = \"allow\"") != std::string::npos);
  CHECK(open.checks[0].fix == "on_timeout = \"block\"   # under [limits] in /etc/akgate/policy.toml");

  p.on_error = FailMode::kAllow;
  Group both;
  CheckFailMode(p, "f.toml", &both);
  CHECK(both.checks[0].fix.find("on_timeout") != std::string::npos);
  CHECK(both.checks[0].fix.find("on_error") != std::string::npos);
}

TEST_CASE("doctor: the time budget") {
  Policy p;
  Group ok;
  CheckTimeBudget(p, "f", &ok);
  CHECK(ok.checks.at(0).severity == Severity::kOk);
  p.time_budget = 1;
  Group tight;
  CheckTimeBudget(p, "f", &tight);
  CHECK(tight.checks.at(0).severity == Severity::kWarn);
  p.on_timeout = FailMode::kAllow;
  Group tight_open;
  CheckTimeBudget(p, "f", &tight_open);
  CHECK(tight_open.checks.at(0).severity == Severity::kRisk);
  p.time_budget = 3600;
  Group long_budget;
  CheckTimeBudget(p, "f", &long_budget);
  CHECK(long_budget.checks.at(0).severity == Severity::kWarn);
}

TEST_CASE("doctor: webhook URLs are checked for form and https, never posted to") {
  Policy p;
  p.webhook_url = "https://hooks.example.com/akgate?token=x";
  Group g;
  CheckWebhookUrl(p, "f", &g);
  REQUIRE(Find(g, "notify.webhook"));
  CHECK(Find(g, "notify.webhook")->severity == Severity::kOk);
  REQUIRE(Find(g, "notify.reachable"));
  CHECK(Find(g, "notify.reachable")->severity == Severity::kInfo);

  p.webhook_url = "http://hooks.example.com/x";
  Group plain;
  CheckWebhookUrl(p, "f", &plain);
  CHECK(Find(plain, "notify.webhook")->severity == Severity::kWarn);

  p.webhook_url = "ftp://x";
  Group bad;
  CheckWebhookUrl(p, "f", &bad);
  CHECK(Find(bad, "notify.webhook")->severity == Severity::kWarn);
  CHECK(Find(bad, "notify.webhook")->finding.find("not usable") != std::string::npos);
}

TEST_CASE("doctor: a certificate's expiry, judged at a given time") {
  TempDir d;
  const std::string key = d.path + "/k.pem", cert = d.path + "/c.pem";
  std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -keyout " + key + " -out " + cert +
                    " -days 100 -subj /CN=localhost >/dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  const std::time_t now = std::time(nullptr);
  Group fresh;
  CheckCertificate(cert, now, &fresh);
  CHECK(fresh.checks.at(0).severity == Severity::kOk);
  Group soon;
  CheckCertificate(cert, now + 80 * 86400, &soon);
  CHECK(soon.checks.at(0).severity == Severity::kWarn);
  Group expired;
  CheckCertificate(cert, now + 120 * 86400, &expired);
  CHECK(expired.checks.at(0).severity == Severity::kRisk);
  CHECK(expired.checks.at(0).finding.find("expired 20 day(s) ago") != std::string::npos);
  Group early;
  CheckCertificate(cert, now - 86400, &early);
  CHECK(early.checks.at(0).severity == Severity::kRisk);
  CHECK(early.checks.at(0).finding.find("not valid yet") != std::string::npos);
  Group missing;
  CheckCertificate(d.path + "/none.pem", now, &missing);
  CHECK(missing.checks.at(0).severity == Severity::kError);
  Group device;
  CheckCertificate("/dev/zero", now, &device);  // never read: it would not end
  CHECK(device.checks.at(0).severity == Severity::kError);
  std::ofstream(d.path + "/junk.pem") << "not a certificate";
  Group junk;
  CheckCertificate(d.path + "/junk.pem", now, &junk);
  CHECK(junk.checks.at(0).severity == Severity::kError);
}

TEST_CASE("doctor: an installed wrapper is read back, and differs when another version or binary wrote it") {
  TempDir d;
  const std::string repo = d.path + "/r.git";
  REQUIRE(std::system(("git init -q --bare " + repo).c_str()) == 0);
  const std::string self = CurrentExecutable();
  InstallOptions o;
  o.akgate = self;
  o.policy = d.path + "/it's policy.toml";  // a quote in the path
  o.cache_dir = d.path + "/cache";
  InstallResult result;
  REQUIRE(InstallHook({HookKind::kRepository, repo, ""}, o, &result).ok());
  InstalledWrapper w;
  REQUIRE(ReadInstalledWrapper(repo + "/hooks/pre-receive", self, &w).ok());
  CHECK(w.akgate == self);
  CHECK(w.policy == o.policy);
  CHECK(w.cache_dir == o.cache_dir);
  CHECK(w.text == w.expected);
  REQUIRE(ReadInstalledWrapper(repo + "/hooks/pre-receive", "/opt/other/akgate", &w).ok());
  CHECK(w.text != w.expected);
  CHECK(w.akgate == self);
  CHECK_FALSE(ReadInstalledWrapper(repo + "/config", self, &w).ok());
}
