// A push seen from the developer's clone (git/local_changes.h): a range
// hides what its start reaches, git's pre-push lines hide what the remote
// has (its tips here, its remote-tracking refs), and bad input is an error
// naming what is wrong. The hook's inspection then finds only what would
// be sent.
#include "git/local_changes.h"

#include <doctest/doctest.h>

#include "ak_pair_rules.h"
#include "engine/rule_loader.h"
#include "engine/scanner.h"
#include "git/push_inspector.h"
#include "git_fixture.h"

using namespace akgate;
using namespace akgate::testing;

namespace {

struct Fixture {
  TestRepo repo;
  RuleSet rules;
  std::unique_ptr<Scanner> scanner;
  AkKeys keys;
  git_oid c1, c2, c3;
  Fixture() {
    REQUIRE(LoadRulesFromString(kAkPairRules, "<test>", &rules).ok());
    Status s = Scanner::Create(rules, &scanner);
    REQUIRE_MESSAGE(s.ok(), s.message());
    c1 = repo.Commit({{"README", "hello\n"}}, {}, "start\n");
    c2 = repo.Commit({{"README", "hello\n"}, {"conf/app.ini", keys.File()}}, {c1}, "Add config\n");
    c3 = repo.Commit({{"README", "hello again\n"}, {"conf/app.ini", keys.File()}}, {c2}, "Edit\n");
    repo.SetRef("refs/heads/main", c3);
  }
  // The findings the hook's inspection makes of `push`.
  std::vector<PushFinding> Inspect(LocalRepository& local, const LocalPush& push) {
    InspectOptions o;
    o.hide_commits = &push.hide;
    PushInspection out;
    Status s = InspectPush(*local.repository(), *scanner, push.updates, o, &out);
    REQUIRE_MESSAGE(s.ok(), s.message());
    return out.findings;
  }
  std::string PrePushLine(const git_oid& local, const std::string& remote) {
    return "refs/heads/main " + Hex(local) + " refs/heads/main " + remote + "\n";
  }
};

}  // namespace

TEST_CASE("local range: A..B is what B has that A has not, as the hook would inspect it") {
  InitLibgit2(false);
  Fixture f;
  {
    LocalRepository local;
    REQUIRE(LocalRepository::Discover(&local, f.repo.path()).ok());
    LocalPush push;
    Status s = RangePush(&local, Hex(f.c1) + ".." + Hex(f.c3), &push);
    REQUIRE_MESSAGE(s.ok(), s.message());
    std::vector<PushFinding> found = f.Inspect(local, push);
    REQUIRE(found.size() == 1);
    CHECK(found[0].commit.id == Hex(f.c2));
    CHECK(found[0].finding.path == "conf/app.ini");
    CHECK(found[0].finding.action == Action::kBlock);
  }
  {
    LocalRepository local;
    REQUIRE(LocalRepository::Discover(&local, f.repo.path()).ok());
    LocalPush push;
    REQUIRE(RangePush(&local, Hex(f.c2) + "..main", &push).ok());
    CHECK(f.Inspect(local, push).empty());
    CHECK(push.updates.at(0).ref == "refs/heads/main");
  }
  LocalRepository local;
  REQUIRE(LocalRepository::Discover(&local, f.repo.path()).ok());
  LocalPush push;
  Status s = RangePush(&local, Hex(f.c1) + "..." + Hex(f.c3), &push);
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(s.message().find("A...B is not what a push sends") != std::string::npos);
  s = RangePush(&local, "no-such-branch..main", &push);
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("no-such-branch") != std::string::npos);
  s = RangePush(&local, "..main", &push);
  CHECK(s.code() == StatusCode::kInvalidArgument);
}

TEST_CASE("local pre-push: what the remote has, by its tips and its remote-tracking refs, is not sent") {
  InitLibgit2(false);
  Fixture f;
  const std::string zero(40, '0');
  {  // A new branch to a remote that has nothing: the whole history.
    LocalRepository local;
    REQUIRE(LocalRepository::Discover(&local, f.repo.path()).ok());
    LocalPush push;
    REQUIRE(PrePush(&local, "origin", f.PrePushLine(f.c3, zero), &push).ok());
    CHECK(f.Inspect(local, push).size() == 1);
  }
  {  // The remote's tip is c2: only c3 is sent.
    LocalRepository local;
    REQUIRE(LocalRepository::Discover(&local, f.repo.path()).ok());
    LocalPush push;
    REQUIRE(PrePush(&local, "origin", f.PrePushLine(f.c3, Hex(f.c2)), &push).ok());
    CHECK(f.Inspect(local, push).empty());
  }
  f.repo.SetRef("refs/remotes/origin/main", f.c2);
  {  // A new branch, but origin/main already holds c2.
    LocalRepository local;
    REQUIRE(LocalRepository::Discover(&local, f.repo.path()).ok());
    LocalPush push;
    REQUIRE(PrePush(&local, "origin", f.PrePushLine(f.c3, zero), &push).ok());
    CHECK(f.Inspect(local, push).empty());
    LocalPush other;  // ... another remote's refs say nothing about it
    REQUIRE(PrePush(&local, "upstream", f.PrePushLine(f.c3, zero), &other).ok());
    CHECK(f.Inspect(local, other).size() == 1);
  }
  LocalRepository local;
  REQUIRE(LocalRepository::Discover(&local, f.repo.path()).ok());
  LocalPush push;
  REQUIRE(PrePush(&local, "origin", "(delete) " + zero + " refs/heads/old " + Hex(f.c1) + "\n", &push).ok());
  CHECK(push.updates.empty());  // a deletion sends nothing
  Status s = PrePush(&local, "origin", "refs/heads/main " + Hex(f.c3) + "\n", &push);
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(s.message().find("pre-push input line 1") != std::string::npos);
  s = PrePush(&local, "origin", "a " + std::string(64, 'a') + " b " + zero + "\n", &push);
  CHECK(s.message().find("SHA-256") != std::string::npos);
}
