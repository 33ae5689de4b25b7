// The history scan on libgit2-built repositories: one finding per secret
// with its first commit, spread, reachable refs and tips; messages; absent
// objects skipped and counted; unreachable blobs with all_objects; refs
// chosen by kind.
#include "git/history_scan.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "ak_pair_rules.h"
#include "engine/rule_loader.h"
#include "engine/scanner.h"
#include "git_fixture.h"

using namespace akgate;
using namespace akgate::testing;

namespace {

using Keys = AkKeys;

struct Fixture {
  TestRepo repo;
  RuleSet rules;
  std::unique_ptr<Scanner> scanner;
  Fixture() {
    REQUIRE(LoadRulesFromString(kAkPairRules, "<test>", &rules).ok());
    Status s = Scanner::Create(rules, &scanner);
    REQUIRE_MESSAGE(s.ok(), s.message());
  }
  HistoryScan Scan(HistoryOptions o = {}) {
    auto r = repo.Open();
    HistoryScan out;
    Status s = ScanHistory(*r, *scanner, o, &out);
    REQUIRE_MESSAGE(s.ok(), s.message());
    return out;
  }
  // Removes a loose object, as a partial or shallow clone lacks it.
  void Drop(const git_oid& id) {
    std::string hex = Hex(id);
    std::filesystem::path p = std::filesystem::path(repo.path()) / "objects" / hex.substr(0, 2) / hex.substr(2);
    REQUIRE(std::filesystem::remove(p));
  }
};

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("history: one finding per secret, from its first commit, with its spread, refs and tips") {
  Fixture f;
  Keys k;
  git_oid c1 = f.repo.Commit({{"README", "hello\n"}}, {}, "start\n");
  git_oid c2 = f.repo.Commit({{"README", "hello\n"}, {"conf/app.ini", k.File()}}, {c1}, "Add config\n");
  git_oid c3 = f.repo.Commit({{"README", "hello\n"}, {"conf/app.ini", "# edited\n" + k.File()}}, {c2}, "Edit\n");
  git_oid c4 = f.repo.Commit({{"README", "hello\n"}, {"conf/app.ini", "# no key now\n"}}, {c3}, "Remove it\n");
  git_oid c5 = f.repo.Commit({{"README", "hello\n"}, {"old/app.ini", k.File()}}, {c3}, "Move it\n");
  f.repo.SetRef("refs/heads/main", c4);
  f.repo.SetRef("refs/heads/feature", c5);
  f.repo.SetRef("refs/tags/v0", c1);
  git_oid tag = f.repo.Tag("v1", c3, "release\n");
  f.repo.SetRef("refs/tags/v1", tag);

  HistoryScan h = f.Scan();
  CHECK(h.refs == std::vector<std::string>{"refs/heads/feature", "refs/heads/main", "refs/tags/v0", "refs/tags/v1"});
  CHECK(h.stats.commits == 5);
  REQUIRE(h.findings.size() == 1);
  const HistoryFinding& hf = h.findings[0];
  CHECK(hf.found.finding.rule_id == "ak-pair");
  CHECK(hf.found.commit.id == Hex(c2));  // the first commit that had it
  CHECK(hf.found.commit.subject == "Add config");
  CHECK(hf.found.commit.time == 1700000000);
  CHECK(hf.found.finding.path == "conf/app.ini");
  CHECK_FALSE(hf.found.pre_existing);
  CHECK(hf.found.blobs == 2);    // the added and the edited version (the moved copy is the edited blob)
  CHECK(hf.found.commits == 3);  // c2 added it, c3 edited it, c5 moved it
  CHECK(hf.found.paths == 2);
  // c2 is in main's, feature's and v1's history, not in v0's.
  CHECK(hf.reachable == std::vector<std::string>{"refs/heads/feature", "refs/heads/main", "refs/tags/v1"});
  // main's tip removed it; feature's tip still holds it.
  REQUIRE(hf.in_tips.size() == 1);
  CHECK(hf.in_tips[0].ref == "refs/heads/feature");
  CHECK(hf.in_tips[0].path == "old/app.ini");
  CHECK_FALSE(hf.in_history_only());
}

TEST_CASE("history: a secret no tip holds is in history only") {
  Fixture f;
  Keys k;
  git_oid c1 = f.repo.Commit({{"app.ini", k.File()}}, {});
  git_oid c2 = f.repo.Commit({{"app.ini", "clean\n"}}, {c1});
  f.repo.SetRef("refs/heads/main", c2);
  HistoryScan h = f.Scan();
  REQUIRE(h.findings.size() == 1);
  CHECK(h.findings[0].in_history_only());
  CHECK(h.findings[0].reachable == std::vector<std::string>{"refs/heads/main"});
}

TEST_CASE("history: commit and tag messages are content") {
  Fixture f;
  Keys a, b;
  git_oid c1 = f.repo.Commit({{"README", "x\n"}}, {}, "debug\n" + a.File());
  f.repo.SetRef("refs/heads/main", c1);
  git_oid tag = f.repo.Tag("v1", c1, "notes\n" + b.File());
  f.repo.SetRef("refs/tags/v1", tag);
  HistoryScan h = f.Scan();
  REQUIRE(h.findings.size() == 2);
  bool commit_message = false, tag_message = false;
  for (const HistoryFinding& hf : h.findings) {
    if (hf.found.source == SourceKind::kCommitMessage) {
      commit_message = true;
      CHECK(hf.found.commit.id == Hex(c1));
      CHECK(hf.reachable == std::vector<std::string>{"refs/heads/main", "refs/tags/v1"});
    }
    if (hf.found.source == SourceKind::kTagMessage) {
      tag_message = true;
      CHECK(hf.found.ref == "refs/tags/v1");
      CHECK(hf.reachable == std::vector<std::string>{"refs/tags/v1"});
    }
  }
  CHECK(commit_message);
  CHECK(tag_message);
}

TEST_CASE("history: absent blobs, trees and commits are skipped and counted, never fatal") {
  Fixture f;
  Keys k;
  git_oid gone_blob = f.repo.Blob("some content that a partial clone lacks\n");
  git_oid c1 = f.repo.Commit({{"old.txt", "root\n"}}, {});
  git_oid c2 = f.repo.Commit({{"old.txt", "root\n"}, {"big.bin", "some content that a partial clone lacks\n"}}, {c1});
  git_oid c3 = f.repo.Commit({{"old.txt", "root\n"}, {"app.ini", k.File()}}, {c2});
  f.repo.SetRef("refs/heads/main", c3);
  f.Drop(gone_blob);  // a blob:none partial clone
  f.Drop(c1);         // a shallow clone's boundary
  HistoryScan h = f.Scan();
  CHECK(h.stats.skipped["missing"] == 1);
  CHECK(h.stats.absent_commits == 1);
  CHECK(h.stats.commits == 2);
  REQUIRE(h.findings.size() == 1);  // what is there is still scanned
  CHECK(h.findings[0].found.commit.id == Hex(c3));
}

TEST_CASE("history: all_objects finds a secret that no ref reaches") {
  Fixture f;
  Keys k;
  git_oid c1 = f.repo.Commit({{"README", "x\n"}}, {});
  f.repo.SetRef("refs/heads/main", c1);
  git_oid dropped = f.repo.Commit({{"README", "x\n"}, {"app.ini", k.File()}}, {c1}, "on a deleted branch\n");
  (void)dropped;  // no ref names it: a deleted branch, a rewritten history

  CHECK(f.Scan().findings.empty());
  HistoryOptions o;
  o.all_objects = true;
  HistoryScan h = f.Scan(o);
  REQUIRE(h.findings.size() == 1);
  CHECK(h.findings[0].found.source == SourceKind::kUnreachable);
  CHECK(h.findings[0].reachable.empty());
  CHECK(h.findings[0].in_history_only());
  CHECK(h.stats.unreachable_blobs >= 1);
}

TEST_CASE("history: refs are branches, tags and remote-tracking branches unless all_refs") {
  Fixture f;
  git_oid c1 = f.repo.Commit({{"README", "x\n"}}, {});
  for (const char* r : {"refs/heads/main", "refs/tags/v1", "refs/remotes/origin/main", "refs/pull/7/head",
                        "refs/notes/commits", "refs/stash"})
    f.repo.SetRef(r, c1);
  auto repo = f.repo.Open();
  std::vector<RefUpdate> refs;
  REQUIRE(HistoryRefs(*repo, false, &refs).ok());
  std::vector<std::string> names;
  for (const RefUpdate& u : refs) {
    names.push_back(u.ref);
    CHECK(u.is_create());
  }
  CHECK(names == std::vector<std::string>{"refs/heads/main", "refs/remotes/origin/main", "refs/tags/v1"});
  refs.clear();
  REQUIRE(HistoryRefs(*repo, true, &refs).ok());
  CHECK(refs.size() == 6);
}

TEST_CASE("history: reachability holds across many finding commits (more than one word of bits)") {
  Fixture f;
  std::vector<git_oid> commits;
  std::map<std::string, std::string> files;
  std::vector<Keys> keys(70);
  git_oid parent{};
  for (size_t i = 0; i < keys.size(); ++i) {
    files["k" + std::to_string(i) + ".ini"] = keys[i].File();
    git_oid c = f.repo.Commit(files, i ? std::vector<git_oid>{parent} : std::vector<git_oid>{});
    commits.push_back(c);
    parent = c;
  }
  f.repo.SetRef("refs/heads/main", commits.back());
  f.repo.SetRef("refs/heads/old", commits[9]);
  HistoryScan h = f.Scan();
  REQUIRE(h.findings.size() == keys.size());
  for (const HistoryFinding& hf : h.findings) {
    auto it =
        std::find_if(commits.begin(), commits.end(), [&](const git_oid& c) { return Hex(c) == hf.found.commit.id; });
    REQUIRE(it != commits.end());
    const size_t i = static_cast<size_t>(it - commits.begin());
    CHECK(Has(hf.reachable, "refs/heads/main"));
    CHECK(Has(hf.reachable, "refs/heads/old") == (i <= 9));
    CHECK(hf.in_tips.size() == 2 - (i > 9));  // old's tip holds the first ten
  }
}

TEST_CASE("history: a repository that borrows objects (alternates) is read whole, with the pack reader") {
  Fixture f;  // the source, like a GitLab pool repository
  Keys k;
  git_oid c1 = f.repo.Commit({{"app.ini", k.File()}}, {});
  f.repo.SetRef("refs/heads/main", c1);
  TestRepo fork("fork.git");  // holds no object of its own
  {
    std::ofstream alt(std::filesystem::path(fork.path()) / "objects" / "info" / "alternates");
    alt << "# the pool\n" << f.repo.path() << "/objects\n";
  }
  fork.SetRef("refs/heads/main", c1);
  RepositoryOptions o;
  o.git_dir = fork.path();
  o.read_alternates = true;
  std::unique_ptr<Repository> r;
  REQUIRE(Repository::Open(o, &r).ok());
  CHECK(r->object_dirs().size() == 2);
  CHECK(r->object_dirs().back() == std::filesystem::canonical(f.repo.path() + "/objects").string());
  HistoryScan h;
  REQUIRE(ScanHistory(*r, *f.scanner, {}, &h).ok());
  REQUIRE(h.findings.size() == 1);
  CHECK(h.findings[0].found.commit.id == Hex(c1));
  CHECK(h.stats.absent_commits == 0);
}

TEST_CASE("history: a pair split across files pairs within one commit, not across the whole history") {
  Fixture f;
  Keys a, b;
  git_oid c1 = f.repo.Commit(
      {{"id.ini", "access_key_id = " + a.id + "\n"}, {"s.ini", "access_key_secret = " + a.secret + "\n"}}, {});
  git_oid c2 = f.repo.Commit({{"id.ini", "access_key_id = " + a.id + "\n"},
                              {"s.ini", "access_key_secret = " + a.secret + "\n"},
                              {"later.ini", "access_key_id = " + b.id + "\n"}},
                             {c1});
  f.repo.SetRef("refs/heads/main", c2);
  HistoryScan h = f.Scan();
  REQUIRE(h.findings.size() == 3);
  for (const HistoryFinding& hf : h.findings) {
    const bool first_commit = hf.found.commit.id == Hex(c1);
    CHECK(hf.found.paired_with.empty() != first_commit);  // c1's two halves pair; c2's lone ID does not
    CHECK(hf.found.pair_rule == (first_commit ? "ak-pair" : ""));
  }
}
