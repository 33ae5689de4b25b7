// The gate: the one place a push is decided, over real temporary
// repositories (git_fixture.h). Time budget, fail mode, pushes that only
// delete, recording.
#include "gate/push_gate.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "engine/fingerprint.h"
#include "git_fixture.h"
#include "notify/audit_log.h"
#include "policy/push_options.h"
#include "text_helpers.h"

using namespace akgate;
using namespace akgate::testing;
using Clock = std::chrono::steady_clock;

namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string AlibabaPair() {
  return "access_key_id = LTAI5t" + RandomAlnum(18) + "\naccess_key_secret = " + RandomAlnum(30) + "\n";
}

struct GateFixture {
  TestRepo repo;
  TempDir keys;
  Policy policy;
  git_oid base{}, head{};

  GateFixture() {
    policy.audit_log.clear();
    policy.fingerprint_key_file = WriteFingerprintKey(keys.path());
    base = repo.Commit({{"README", "hello\n"}}, {});
    repo.SetRef("refs/heads/main", base);
  }
  std::unique_ptr<Gate> Make() const {
    std::unique_ptr<Gate> g;
    Status s = Gate::Create(policy, &g);
    REQUIRE_MESSAGE(s.ok(), s.message());
    return g;
  }
  // Runs the whole check on a push of `files` on top of base.
  PushOutcome Push(const std::map<std::string, std::string>& files, PushInput input = {}) {
    std::map<std::string, std::string> all = files;
    all["README"] = "hello\n";
    head = repo.Commit(all, {base}, "Add files\n");
    auto r = repo.Open();
    input.repo = r.get();
    input.refs = {TestRepo::Update(&base, &head, "refs/heads/main")};
    return Make()->Check(input);
  }
};

std::string Joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& l : lines) s += l + "\n";
  return s;
}

}  // namespace

TEST_CASE("gate: a clean push is accepted, a pushed pair is rejected") {
  GateFixture f;
  CHECK(f.Push({{"a.txt", "nothing here\n"}}).decision.accepted);
  PushOutcome out = f.Push({{"app.ini", AlibabaPair()}});
  CHECK_FALSE(out.decision.accepted);
  CHECK(out.decision.cause == Cause::kFindings);
  CHECK(out.decision.blocking == 1);
}

TEST_CASE("gate: the time budget sets aside the notifications' time, at most half of it") {
  Policy p;
  p.time_budget = 10;
  Clock::time_point t0 = Clock::now();
  PushBudget b = BudgetFor(p, t0);
  CHECK(b.deadline - t0 == std::chrono::seconds(10));
  CHECK(b.check_deadline == b.deadline);  // nothing to notify

  p.webhook_url = "http://127.0.0.1:9/x";
  p.webhook_timeout = 3;
  p.notify_command = {"true"};
  p.command_timeout = 4;
  b = BudgetFor(p, t0);
  CHECK(b.deadline - b.check_deadline == std::chrono::seconds(4));

  p.command_timeout = 60;
  b = BudgetFor(p, t0);
  CHECK(b.deadline - b.check_deadline == std::chrono::seconds(5));
}

TEST_CASE("gate: a check not done within its budget gets on_timeout, in the gate itself") {
  GateFixture f;
  f.policy.time_budget = 1;
  PushInput late;
  late.started = Clock::now() - std::chrono::seconds(5);  // the budget ran out before the check

  PushOutcome out = f.Push({{"a.txt", "nothing here\n"}}, late);
  CHECK_FALSE(out.decision.accepted);
  CHECK(out.decision.cause == Cause::kTimeout);
  CHECK(out.decision.fail_mode == FailMode::kBlock);
  CHECK(out.decision.error.find("time budget of 1 s") != std::string::npos);
  CHECK(Joined(out.report).find("did not finish in time") != std::string::npos);

  f.policy.on_timeout = FailMode::kAllow;
  out = f.Push({{"b.txt", "nothing here either\n"}}, late);
  CHECK(out.decision.accepted);
  CHECK(out.decision.cause == Cause::kTimeout);
  CHECK(out.decision.fail_mode == FailMode::kAllow);

  SUBCASE("the notifications' reserve counts: a check ending inside it is late") {
    f.policy.on_timeout = FailMode::kBlock;
    f.policy.time_budget = 4;
    f.policy.notify_command = {"true"};
    f.policy.command_timeout = 2;  // the check must end 2 s after the start
    PushInput in_reserve;
    in_reserve.started = Clock::now() - std::chrono::milliseconds(2500);
    CHECK(f.Push({{"c.txt", "x\n"}}, in_reserve).decision.cause == Cause::kTimeout);
    PushInput in_time;
    CHECK(f.Push({{"d.txt", "y\n"}}, in_time).decision.cause == Cause::kClean);
  }
}

TEST_CASE("gate: a push that cannot be checked gets on_error") {
  GateFixture f;
  auto r = f.repo.Open();
  PushInput input;
  input.repo = r.get();
  std::string absent(40, 'b');
  input.refs = {{Hex(f.base), absent, "refs/heads/main"}};  // a commit the repository does not have
  PushOutcome out = f.Make()->Check(input);
  CHECK_FALSE(out.decision.accepted);
  CHECK(out.decision.cause == Cause::kError);
  CHECK(out.decision.fail_mode == FailMode::kBlock);

  f.policy.on_error = FailMode::kAllow;
  out = f.Make()->Check(input);
  CHECK(out.decision.accepted);
  CHECK(out.decision.cause == Cause::kError);
  CHECK(Joined(out.report).find("ACCEPTED WITHOUT A COMPLETE CHECK") != std::string::npos);

  SUBCASE("a permitted bypass overrides a failed check") {
    f.policy.on_error = FailMode::kBlock;
    f.policy.bypass_who = {"alice"};
    input.request.pusher = "alice";
    input.request.options = ParsePushOptions({"akgate.bypass=upstream outage"});
    out = f.Make()->Check(input);
    CHECK(out.decision.accepted);
    CHECK(out.decision.bypass_used);
  }
}

TEST_CASE("gate: a push that only deletes refs is decided without reading objects") {
  GateFixture f;
  PushInput input;
  input.refs = {TestRepo::Update(&f.base, nullptr, "refs/heads/main"),
                TestRepo::Update(&f.base, nullptr, "refs/heads/old")};
  input.repository = "/srv/git/app.git";
  PushOutcome out = f.Make()->Check(input);  // no repository at all
  CHECK(out.decision.accepted);
  CHECK(out.decision.cause == Cause::kClean);
  CHECK(out.inspection.stats.deletions == 2);
  CHECK(out.inspection.stats.refs == 2);

  SUBCASE("without objects, an update that is not a deletion cannot be checked") {
    git_oid other = f.repo.Commit({{"x", "y\n"}}, {f.base});
    input.refs.push_back(TestRepo::Update(&f.base, &other, "refs/heads/new"));
    out = f.Make()->Check(input);
    CHECK_FALSE(out.decision.accepted);
    CHECK(out.decision.cause == Cause::kError);
  }
  SUBCASE("the gateway's objects that exist upstream: nothing new to read") {
    git_oid other = f.repo.Commit({{"x", "y\n"}}, {f.base});
    input.refs.push_back(TestRepo::Update(&f.base, &other, "refs/heads/new"));
    input.missing = MissingObjects::kExistUpstream;
    CHECK(f.Make()->Check(input).decision.accepted);
  }
  SUBCASE("and it is recorded like any push") {
    std::string log = f.repo.dir() + "/audit.log";
    std::unique_ptr<AuditLog> audit;
    REQUIRE(AuditLog::Open(log, &audit).ok());
    input.via = "gateway";
    std::vector<std::string> problems = RecordPush(f.policy, input, &out, audit.get(), Status::Ok());
    CHECK(problems.empty());
    audit.reset();
    nlohmann::json rec = nlohmann::json::parse(Slurp(log));
    CHECK(rec["via"] == "gateway");
    CHECK(rec["repo"] == "/srv/git/app.git");
    CHECK(rec["decision"] == "accept");
    CHECK(rec["refs"].size() == 2);
  }
}

namespace {

// What RecordPush wrote (the last audit line) and the report it left.
struct Recorded {
  std::vector<std::string> problems;
  nlohmann::json audit;
};

Recorded RecordTo(const Policy& policy, const PushInput& input, PushOutcome* out) {
  Recorded r;
  std::unique_ptr<AuditLog> audit;
  Status opened;
  if (!policy.audit_log.empty()) opened = AuditLog::Open(policy.audit_log, &audit);
  r.problems = RecordPush(policy, input, out, audit.get(), opened);
  audit.reset();
  std::string text = Slurp(policy.audit_log);
  if (!text.empty()) {
    text.pop_back();
    r.audit = nlohmann::json::parse(text.substr(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1));
  }
  return r;
}

std::string MarkedPair() {
  return "access_key_id = LTAI5t" + RandomAlnum(18) + "  # akgate:allow\naccess_key_secret = " + RandomAlnum(30) + "\n";
}

}  // namespace

TEST_CASE("gate: a finding on an akgate:allow line is never silent") {
  GateFixture f;
  f.policy.audit_log = f.repo.dir() + "/audit.log";
  PushInput input;
  input.request.pusher = "bob";

  SUBCASE("by default the mark is not honoured: the push is rejected, and told why") {
    PushOutcome out = f.Push({{"conf/app.ini", MarkedPair()}}, input);
    CHECK_FALSE(out.decision.accepted);
    CHECK(out.decision.blocking == 1);
    CHECK(out.decision.inline_refused == 1);
    CHECK(akgate::testing::Unwrapped(out.report).find("does not honour such marks") != std::string::npos);  // the note
    CHECK(Joined(out.report).find("gitleaks:allow") != std::string::npos);
  }
  SUBCASE("[allowlist] inline = \"allow\": accepted, shown, counted, audited with the finding") {
    f.policy.inline_allow = true;
    PushOutcome out = f.Push({{"conf/app.ini", MarkedPair()}}, input);
    CHECK(out.decision.accepted);
    CHECK(out.decision.cause == Cause::kAllowed);
    CHECK(out.decision.allowed_inline == 1);
    REQUIRE(out.inspection.findings.size() == 1);
    CHECK(out.decision.dispositions[0] == Disposition::kAllowedInline);
    std::string report = Joined(out.report);
    CHECK(report.find("by an akgate:allow line") != std::string::npos);
    CHECK(NotificationEvent(out.decision) == "allow");
    Recorded r = RecordTo(f.policy, input, &out);
    CHECK(r.problems.empty());
    CHECK(r.audit["decision"] == "accept");
    CHECK(r.audit["cause"] == "allowed");
    CHECK(r.audit["allowed_inline"] == 1);
    const nlohmann::json& fnd = r.audit["findings"][0];
    CHECK(fnd["disposition"] == "allowed-inline");
    CHECK(fnd["path"] == "conf/app.ini");
    CHECK(fnd["line"] == 1);
    CHECK(fnd["commit"] == Hex(f.head));
    CHECK(fnd["fingerprint"] == out.inspection.findings[0].finding.fingerprint);
    CHECK(fnd["redacted"][0].get<std::string>().find("…") != std::string::npos);
  }
  SUBCASE("the same secret unmarked elsewhere in the push still blocks") {
    f.policy.inline_allow = true;
    std::string id = "LTAI5t" + RandomAlnum(18), secret = RandomAlnum(30);
    std::string marked = "access_key_id = " + id + "  # akgate:allow\naccess_key_secret = " + secret + "\n";
    std::string plain = "access_key_id = " + id + "\naccess_key_secret = " + secret + "\n";
    PushOutcome out = f.Push({{"a.ini", marked}, {"b.ini", plain}}, input);
    CHECK_FALSE(out.decision.accepted);
    REQUIRE(out.inspection.findings.size() == 1);
    CHECK(out.inspection.findings[0].finding.path == "b.ini");
  }
  SUBCASE("a marked secret already in the file is pre-existing, not new") {
    std::string file = MarkedPair();
    git_oid c1 = f.repo.Commit({{"README", "hello\n"}, {"app.ini", file}}, {f.base});
    f.repo.SetRef("refs/heads/main", c1);
    git_oid c2 = f.repo.Commit({{"README", "hello\n"}, {"app.ini", "# edited\n" + file}}, {c1});
    auto r = f.repo.Open();
    input.repo = r.get();
    input.refs = {TestRepo::Update(&c1, &c2, "refs/heads/main")};
    PushOutcome out = f.Make()->Check(input);
    CHECK(out.decision.accepted);
    CHECK(out.decision.pre_existing == 1);
  }
}

TEST_CASE("gate: an allow or a bypass that cannot be recorded is refused") {
  GateFixture f;
  f.policy.bypass_who = {"alice"};
  PushInput input;
  input.request.pusher = "alice";
  input.request.options = ParsePushOptions({"akgate.bypass=test fixture"});
  PushOutcome bypassed = f.Push({{"app.ini", AlibabaPair()}}, input);
  REQUIRE(bypassed.decision.accepted);
  REQUIRE(bypassed.decision.bypass_used);

  SUBCASE("the audit log cannot be opened") {
    f.policy.audit_log = "/proc/akgate-nowhere/audit.log";
    PushOutcome out = bypassed;
    Recorded r = RecordTo(f.policy, input, &out);
    CHECK_FALSE(out.decision.accepted);
    CHECK(out.decision.cause == Cause::kUnrecorded);
    CHECK(out.decision.exit_code() == 1);
    std::string report = Joined(out.report);
    CHECK(report.find("push REJECTED: it could not be recorded") != std::string::npos);
    CHECK(report.find("/proc/akgate-nowhere/audit.log") != std::string::npos);
    CHECK(report.find("was not recorded") == std::string::npos);  // no contradicting note
    CHECK_FALSE(r.problems.empty());
  }
  SUBCASE("no audit log configured") {
    f.policy.audit_log.clear();
    PushOutcome out = bypassed;
    RecordTo(f.policy, input, &out);
    CHECK_FALSE(out.decision.accepted);
    CHECK(out.decision.error.find("no audit log is configured") != std::string::npos);
  }
  SUBCASE("a fail-open is refused the same way") {
    f.policy.audit_log = "/proc/akgate-nowhere/audit.log";
    f.policy.on_error = FailMode::kAllow;
    PushInput plain;
    PushOutcome out = FailedPush(f.policy, plain, Cause::kError, "broken");
    REQUIRE(out.decision.accepted);
    RecordTo(f.policy, plain, &out);
    CHECK_FALSE(out.decision.accepted);
  }
  SUBCASE("a rejection that cannot be recorded stays a rejection, with a note") {
    f.policy.audit_log = "/proc/akgate-nowhere/audit.log";
    PushOutcome out = f.Push({{"other.ini", AlibabaPair()}});
    REQUIRE_FALSE(out.decision.accepted);
    RecordTo(f.policy, PushInput{}, &out);
    CHECK(out.decision.cause == Cause::kFindings);
    CHECK(Joined(out.report).find("this decision was not recorded") != std::string::npos);
  }
  SUBCASE("recorded: accepted, and the audit line says bypass") {
    f.policy.audit_log = f.repo.dir() + "/audit.log";
    PushOutcome out = bypassed;
    Recorded r = RecordTo(f.policy, input, &out);
    CHECK(out.decision.accepted);
    CHECK(r.audit["decision"] == "bypass");
    CHECK(r.audit["bypass_reason"] == "test fixture");
  }
}

TEST_CASE("gate: no fingerprint key, no check; a pre-0.2 entry in the rules' allowlist still allows, and is noted") {
  GateFixture g;
  SUBCASE("a missing key file: Create fails, naming it") {
    g.policy.fingerprint_key_file = g.keys.path() + "/missing.key";
    std::unique_ptr<Gate> gate;
    Status s = Gate::Create(g.policy, &gate);
    CHECK(s.code() == StatusCode::kNotFound);
    CHECK(s.message().find(g.policy.fingerprint_key_file) != std::string::npos);
    g.policy.fingerprint_key_file.clear();
    CHECK_FALSE(Gate::Create(g.policy, &gate).ok());  // never an unkeyed hash
  }
  SUBCASE("the rules' allowlist in the pre-0.2 form") {
    const std::string id = "LTAI5t" + RandomAlnum(18), secret = RandomAlnum(30);
    const std::string old_fp = LegacyFingerprint("alibaba-accesskey-pair", {id, secret});
    const std::string rules = g.keys.path() + "/rules.toml";
    {
      std::ofstream out(rules);
      out << "[extend]\nuseDefault = true\n[allowlist]\nfingerprints = [\"" << old_fp << "\"]\n";
    }
    g.policy.rule_files = {rules};
    PushOutcome out = g.Push({{"app.ini", "access_key_id = " + id + "\naccess_key_secret = " + secret + "\n"}});
    CHECK(out.decision.accepted);
    CHECK(out.inspection.stats.fingerprint_allowed == 1);
    REQUIRE(out.decision.legacy_allowlist.size() == 1);
    CHECK(out.decision.legacy_allowlist[0].first == old_fp);
    CHECK(out.decision.legacy_allowlist[0].second.size() == 16);
    CHECK(out.decision.legacy_allowlist[0].second != old_fp);
    bool noted = false;
    for (const std::string& line : out.report) noted |= line.find("rules' [allowlist]") != std::string::npos;
    CHECK(noted);
  }
}
