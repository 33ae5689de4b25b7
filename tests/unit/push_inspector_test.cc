// Inspecting a push end to end on libgit2-built repositories: introduced vs
// pre-existing, blobs scanned once, messages, skipped content, the gateway's
// objects-only mode.
#include "git/push_inspector.h"

#include <doctest/doctest.h>

#include "engine/rule_loader.h"
#include "engine/scanner.h"
#include "git_fixture.h"

using namespace akgate;
using namespace akgate::testing;

namespace {

const char* kRules = R"(
title = "push test rules"
[limits]
max_fragment_bytes = 4096
[[rules]]
id = "ak-id"
description = "AccessKey ID"
provider = "Alibaba Cloud"
regex = '''\b(LTAI[A-Za-z0-9]{20})\b'''
entropy = 2.5
action = "warn"
[[rules]]
id = "ak-secret"
description = "AccessKey secret"
provider = "Alibaba Cloud"
regex = '''(?i)access_?key_?secret[\\"'\s]*[:=][\\"'\s]*([A-Za-z0-9]{30})\b'''
entropy = 3.0
action = "warn"
[[pairs]]
id = "ak-pair"
description = "AccessKey pair"
provider = "Alibaba Cloud"
action = "block"
window_lines = 3
[[pairs.parts]]
rule = "ak-id"
name = "AccessKey ID"
[[pairs.parts]]
rule = "ak-secret"
name = "AccessKey secret"
)";

using Keys = AkKeys;

struct Fixture {
  TestRepo repo;
  RuleSet rules;
  std::unique_ptr<Scanner> scanner;
  Fixture() {
    REQUIRE(LoadRulesFromString(kRules, "<test>", &rules).ok());
    Status s = Scanner::Create(rules, &scanner);
    REQUIRE_MESSAGE(s.ok(), s.message());
  }
  PushInspection Inspect(const std::vector<RefUpdate>& updates) {
    auto r = repo.Open();
    PushInspection out;
    Status s = InspectPush(*r, *scanner, updates, {}, &out);
    REQUIRE_MESSAGE(s.ok(), s.message());
    return out;
  }
};

size_t Introduced(const PushInspection& in) {
  size_t n = 0;
  for (const PushFinding& f : in.findings) n += !f.pre_existing;
  return n;
}

}  // namespace

TEST_CASE("a pair added by a commit is introduced, with its commit and lines") {
  Fixture f;
  Keys k;
  git_oid c1 = f.repo.Commit({{"README", "hello\n"}}, {});
  f.repo.SetRef("refs/heads/main", c1);
  git_oid c2 = f.repo.Commit({{"README", "hello\n"}, {"conf/app.ini", "# config\n" + k.File()}}, {c1}, "Add config\n");
  PushInspection in = f.Inspect({TestRepo::Update(&c1, &c2, "refs/heads/main")});
  REQUIRE(in.findings.size() == 1);
  const PushFinding& pf = in.findings[0];
  CHECK_FALSE(pf.pre_existing);
  CHECK(pf.finding.rule_id == "ak-pair");
  CHECK(pf.finding.path == "conf/app.ini");
  CHECK(pf.finding.parts.at(0).location.line == 2);
  CHECK(pf.finding.parts.at(1).location.line == 3);
  CHECK(pf.commit.id == Hex(c2));
  CHECK(pf.commit.short_id == Hex(c2).substr(0, 10));
  CHECK(pf.commit.subject == "Add config");
  CHECK(pf.commit.author == "Tester <tester@example.com>");
  CHECK(pf.commit.is_tip);
  CHECK(in.stats.commits == 1);
  CHECK(in.stats.blobs_scanned == 1);  // README is not new
  CHECK(in.stats.messages_scanned == 1);
}

TEST_CASE("a secret already in the parent's version of the file is pre-existing") {
  Fixture f;
  Keys k;
  git_oid c1 = f.repo.Commit({{"app.ini", k.File()}}, {});
  f.repo.SetRef("refs/heads/main", c1);
  git_oid c2 = f.repo.Commit({{"app.ini", "# edited\n" + k.File() + "more = 1\n"}}, {c1});
  PushInspection in = f.Inspect({TestRepo::Update(&c1, &c2, "refs/heads/main")});
  REQUIRE(in.findings.size() == 1);
  CHECK(in.findings[0].pre_existing);
  CHECK(Introduced(in) == 0);
  CHECK(in.stats.previous_scanned == 1);

  SUBCASE("a second, new secret in the same file is introduced") {
    Keys k2;
    git_oid c3 = f.repo.Commit({{"app.ini", k.File() + "\n\n\n\n" + k2.File()}}, {c1});
    PushInspection in3 = f.Inspect({TestRepo::Update(&c1, &c3, "refs/heads/main")});
    REQUIRE(in3.findings.size() == 2);
    CHECK(Introduced(in3) == 1);
    CHECK_FALSE(in3.findings[0].pre_existing);  // introduced ones come first
  }
  SUBCASE("a renamed file keeps its secrets pre-existing") {
    git_oid c3 = f.repo.Commit({{"conf/app.ini", k.File() + "extra\n"}}, {c1});
    PushInspection in3 = f.Inspect({TestRepo::Update(&c1, &c3, "refs/heads/main")});
    REQUIRE(in3.findings.size() == 1);
    CHECK(in3.findings[0].pre_existing);
  }
}

TEST_CASE("a secret added then removed in the same push still blocks: it is in history") {
  Fixture f;
  Keys k;
  git_oid c1 = f.repo.Commit({{"README", "x\n"}}, {});
  f.repo.SetRef("refs/heads/main", c1);
  git_oid c2 = f.repo.Commit({{"README", "x\n"}, {"app.ini", k.File()}}, {c1}, "oops\n");
  git_oid c3 = f.repo.Commit({{"README", "x\n"}}, {c2}, "remove it\n");
  PushInspection in = f.Inspect({TestRepo::Update(&c1, &c3, "refs/heads/main")});
  REQUIRE(Introduced(in) == 1);
  CHECK(in.findings[0].commit.id == Hex(c2));
  CHECK_FALSE(in.findings[0].commit.is_tip);
}

TEST_CASE("each blob is scanned once however many commits and paths share it") {
  Fixture f;
  Keys k;
  git_oid c1 = f.repo.Commit({{"README", "x\n"}}, {});
  f.repo.SetRef("refs/heads/main", c1);
  git_oid c2 = f.repo.Commit({{"README", "x\n"}, {"a/app.ini", k.File()}}, {c1});
  git_oid c3 = f.repo.Commit({{"README", "x\n"}, {"a/app.ini", k.File()}, {"b/copy.ini", k.File()}}, {c2});
  git_oid side = f.repo.Commit({{"README", "x\n"}, {"c/again.ini", k.File()}}, {c1});
  PushInspection in =
      f.Inspect({TestRepo::Update(&c1, &c3, "refs/heads/main"), TestRepo::Update(nullptr, &side, "refs/heads/side")});
  CHECK(in.stats.blobs == 1);
  CHECK(in.stats.blobs_scanned == 1);
  CHECK(in.stats.files == 3);
  REQUIRE(in.findings.size() == 1);  // one secret, reported once
  CHECK(in.findings[0].also_in == 2);
}

TEST_CASE("merge with a key only on one side: reported at the side's commit, not the merge") {
  Fixture f;
  Keys k;
  git_oid base = f.repo.Commit({{"README", "x\n"}}, {});
  f.repo.SetRef("refs/heads/main", base);
  git_oid side = f.repo.Commit({{"README", "x\n"}, {"key.ini", k.File()}}, {base}, "side adds key\n");
  git_oid other = f.repo.Commit({{"README", "y\n"}}, {base});
  git_oid merge = f.repo.Commit({{"README", "y\n"}, {"key.ini", k.File()}}, {other, side}, "merge\n");
  PushInspection in = f.Inspect({TestRepo::Update(&base, &merge, "refs/heads/main")});
  REQUIRE(in.findings.size() == 1);
  CHECK(in.findings[0].commit.id == Hex(side));
  CHECK(in.findings[0].also_in == 0);

  SUBCASE("when the side was already pushed, the merge brings nothing") {
    f.repo.SetRef("refs/heads/side", side);
    PushInspection in2 = f.Inspect({TestRepo::Update(&base, &merge, "refs/heads/main")});
    CHECK(in2.findings.empty());
  }
}

TEST_CASE("commit messages and annotated tag messages are content") {
  Fixture f;
  Keys k;
  git_oid c1 = f.repo.Commit({{"README", "x\n"}}, {});
  f.repo.SetRef("refs/heads/main", c1);
  git_oid c2 = f.repo.Commit({{"README", "y\n"}}, {c1}, "Deploy\n\n" + k.File());
  PushInspection in = f.Inspect({TestRepo::Update(&c1, &c2, "refs/heads/main")});
  REQUIRE(in.findings.size() == 1);
  CHECK(in.findings[0].source == SourceKind::kCommitMessage);
  CHECK(in.findings[0].commit.id == Hex(c2));

  Keys k2;
  git_oid tag = f.repo.Tag("v1", c1, "Release\n" + k2.File());
  PushInspection tin = f.Inspect({TestRepo::Update(nullptr, &tag, "refs/tags/v1")});
  REQUIRE(tin.findings.size() == 1);
  CHECK(tin.findings[0].source == SourceKind::kTagMessage);
  CHECK(tin.findings[0].ref == "refs/tags/v1");
  CHECK(tin.stats.commits == 0);  // the tagged commit already exists
  CHECK(tin.stats.tags == 1);
}

TEST_CASE("binary and oversize blobs are skipped and counted, never silently") {
  Fixture f;
  Keys k;
  git_oid c1 = f.repo.Commit({{"README", "x\n"}}, {});
  f.repo.SetRef("refs/heads/main", c1);
  std::string binary = std::string("\0\x01\x02", 3) + k.File();
  std::string huge = k.File() + std::string(8192, 'a');
  git_oid c2 = f.repo.Commit({{"README", "x\n"}, {"logo.png", binary}, {"dump.sql", huge}}, {c1});
  PushInspection in = f.Inspect({TestRepo::Update(&c1, &c2, "refs/heads/main")});
  CHECK(in.findings.empty());
  CHECK(in.stats.skipped.at("binary") == 1);
  CHECK(in.stats.skipped.at("oversize") == 1);
  CHECK(in.stats.skipped_total() == 2);
  REQUIRE(in.stats.skipped_examples.size() == 2);
  CHECK(in.stats.blobs_scanned == 0);
}

TEST_CASE("symlink targets are scanned; gitlinks are not blobs") {
  Fixture f;
  git_oid c1 = f.repo.Commit({{"README", "x\n"}}, {});
  f.repo.SetRef("refs/heads/main", c1);
  git_oid c2 = f.repo.Commit({{"README", "x\n"},
                              {"link", "@link:README"},
                              {"vendor/lib", "@gitlink:1234567890123456789012345678901234567890"}},
                             {c1});
  PushInspection in = f.Inspect({TestRepo::Update(&c1, &c2, "refs/heads/main")});
  CHECK(in.stats.blobs_scanned == 1);
  CHECK(in.stats.gitlinks == 1);
}

TEST_CASE("empty pushes and deletions inspect nothing") {
  Fixture f;
  git_oid c1 = f.repo.Commit({{"README", "x\n"}}, {});
  f.repo.SetRef("refs/heads/main", c1);
  PushInspection in = f.Inspect({});
  CHECK(in.stats.commits == 0);
  PushInspection del = f.Inspect({TestRepo::Update(&c1, nullptr, "refs/heads/main")});
  CHECK(del.stats.deletions == 1);
  CHECK(del.findings.empty());
}

TEST_CASE("cancellation stops the inspection with an error") {
  Fixture f;
  git_oid c1 = f.repo.Commit({{"README", "x\n"}}, {});
  git_oid c2 = f.repo.Commit({{"README", "y\n"}}, {c1});
  auto r = f.repo.Open();
  std::atomic<bool> cancel{true};
  InspectOptions o;
  o.cancel = &cancel;
  PushInspection out;
  Status s = InspectPush(*r, *f.scanner, {TestRepo::Update(nullptr, &c2, "refs/heads/main")}, o, &out);
  CHECK_FALSE(s.ok());
}

namespace {

// The objects of a full repository, copied on request into fresh objects
// directories: what the gateway's upstream fetch gives (commits and trees
// without blobs, then the blobs asked for), recorded for the test to check.
class CopyingFetcher : public ObjectFetcher {
 public:
  CopyingFetcher(git_repository* full, std::string root) : full_(full), root_(std::move(root)) {}
  std::vector<FetchWants> calls;
  Status fail = Status::Ok();

  Status Fetch(const FetchWants& wants, const std::atomic<bool>*, std::string* objects_dir) override {
    calls.push_back(wants);
    if (!fail.ok()) return fail;
    std::string dir = root_ + "/fetch-" + std::to_string(calls.size());
    std::filesystem::create_directories(dir);
    git_odb* dst = nullptr;
    REQUIRE(git_odb_open(&dst, dir.c_str()) == 0);
    for (const git_oid& c : wants.commits) {
      git_commit* commit = nullptr;
      REQUIRE(git_commit_lookup(&commit, full_, &c) == 0);
      Copy(dst, c);
      CopyTree(dst, *git_commit_tree_id(commit));
      git_commit_free(commit);
    }
    for (const git_oid& t : wants.trees) CopyTree(dst, t);
    for (const git_oid& b : wants.blobs) Copy(dst, b);
    git_odb_free(dst);
    *objects_dir = dir;
    return Status::Ok();
  }

  void Copy(git_odb* dst, const git_oid& id) {
    git_odb* src = nullptr;
    REQUIRE(git_repository_odb(&src, full_) == 0);
    git_odb_object* obj = nullptr;
    REQUIRE(git_odb_read(&obj, src, &id) == 0);
    git_oid written;
    REQUIRE(git_odb_write(&written, dst, git_odb_object_data(obj), git_odb_object_size(obj),
                          git_odb_object_type(obj)) == 0);
    git_odb_object_free(obj);
    git_odb_free(src);
  }
  void CopyTree(git_odb* dst, const git_oid& id) {
    Copy(dst, id);
    git_tree* tree = nullptr;
    REQUIRE(git_tree_lookup(&tree, full_, &id) == 0);
    for (size_t i = 0; i < git_tree_entrycount(tree); ++i) {
      const git_tree_entry* e = git_tree_entry_byindex(tree, i);
      if (git_tree_entry_filemode(e) == GIT_FILEMODE_TREE) CopyTree(dst, *git_tree_entry_id(e));
    }
    git_tree_free(tree);
  }

 private:
  git_repository* full_;
  std::string root_;
};

// An objects directory holding only `ids` of the full repository: a pushed
// pack, whose other objects are upstream.
std::string PackOf(TestRepo& full, const TempDir& dir, const std::vector<git_oid>& ids) {
  std::string objects = dir.path() + "/objects";
  std::filesystem::create_directories(objects);
  git_odb* dst = nullptr;
  REQUIRE(git_odb_open(&dst, objects.c_str()) == 0);
  CopyingFetcher copier(full.raw(), dir.path());
  for (const git_oid& id : ids) copier.Copy(dst, id);
  git_odb_free(dst);
  return objects;
}

// A pushed pack of `ids`, opened as the gateway opens one, with a fetcher
// onto the full repository standing in for the upstream.
struct GatewayPush {
  TempDir dir;
  std::unique_ptr<Repository> repo;
  std::unique_ptr<CopyingFetcher> fetcher;
  InspectOptions options;
  GatewayPush(TestRepo& full, const std::vector<git_oid>& ids) {
    std::string objects = PackOf(full, dir, ids);
    REQUIRE(Repository::OpenObjectsOnly(objects, RepositoryOptions(), &repo).ok());
    fetcher = std::make_unique<CopyingFetcher>(full.raw(), dir.path());
    options.missing = MissingObjects::kExistUpstream;
    options.fetcher = fetcher.get();
  }
};

git_oid TreeOf(TestRepo& r, const git_oid& commit, const std::string& path = "") {
  git_commit* c = nullptr;
  REQUIRE(git_commit_lookup(&c, r.raw(), &commit) == 0);
  git_oid id = *git_commit_tree_id(c);
  git_commit_free(c);
  if (path.empty()) return id;
  git_tree* t = nullptr;
  REQUIRE(git_tree_lookup(&t, r.raw(), &id) == 0);
  git_tree_entry* e = nullptr;
  REQUIRE(git_tree_entry_bypath(&e, t, path.c_str()) == 0);
  git_oid out = *git_tree_entry_id(e);
  git_tree_entry_free(e);
  git_tree_free(t);
  return out;
}

}  // namespace

TEST_CASE("the gateway: an earlier version the pack does not carry is fetched, and its secret is pre-existing") {
  Fixture f;
  Keys k;
  std::string old_file = k.File();
  std::string new_file = "# edited\n" + k.File();
  git_oid c1 = f.repo.Commit({{"conf/app.ini", old_file}, {"README", "hello"}}, {});
  git_oid c2 = f.repo.Commit({{"conf/app.ini", new_file}, {"README", "hello"}}, {c1});
  // The pack: c2, its root tree, its conf/ tree and the edited file.
  GatewayPush push(f.repo, {c2, TreeOf(f.repo, c2), TreeOf(f.repo, c2, "conf"), f.repo.Blob(new_file)});
  Repository* repo = push.repo.get();
  CopyingFetcher& fetcher = *push.fetcher;
  InspectOptions& o = push.options;
  std::vector<RefUpdate> updates = {TestRepo::Update(&c1, &c2, "refs/heads/main")};

  SUBCASE("the parent commit, then the old blob") {
    PushInspection in;
    Status s = InspectPush(*repo, *f.scanner, updates, o, &in);
    REQUIRE_MESSAGE(s.ok(), s.message());
    REQUIRE(in.findings.size() == 1);
    CHECK(in.findings[0].pre_existing);
    CHECK(in.stats.previous_fetches == 2);
    CHECK(in.stats.previous_unknown == 0);
    CHECK(in.previous_unavailable.empty());
    REQUIRE(fetcher.calls.size() == 2);
    REQUIRE(fetcher.calls[0].commits.size() == 1);
    CHECK(git_oid_equal(&fetcher.calls[0].commits[0], &c1));
    CHECK(fetcher.calls[0].blobs.empty());
    git_oid old_blob = f.repo.Blob(old_file);
    REQUIRE(fetcher.calls[1].blobs.size() == 1);
    CHECK(git_oid_equal(&fetcher.calls[1].blobs[0], &old_blob));
  }
  SUBCASE("a fetch that fails leaves the finding introduced, and says why") {
    fetcher.fail = Status::Unavailable("the upstream answered HTTP 401");
    PushInspection in;
    Status s = InspectPush(*repo, *f.scanner, updates, o, &in);
    REQUIRE_MESSAGE(s.ok(), s.message());
    REQUIRE(in.findings.size() == 1);
    CHECK_FALSE(in.findings[0].pre_existing);
    CHECK(in.stats.previous_unknown == 1);
    CHECK(in.previous_unavailable == "the upstream answered HTTP 401");
    CHECK(fetcher.calls.size() == 1);
  }
  SUBCASE("without a fetcher nothing is fetched and the finding counts as new") {
    o.fetcher = nullptr;
    PushInspection in;
    REQUIRE(InspectPush(*repo, *f.scanner, updates, o, &in).ok());
    REQUIRE(in.findings.size() == 1);
    CHECK_FALSE(in.findings[0].pre_existing);
    CHECK(fetcher.calls.empty());
  }
}

TEST_CASE("the gateway: a parent in the pack whose subtree is upstream gets that tree fetched") {
  Fixture f;
  Keys k;
  std::string conf = k.File();
  git_oid c1 = f.repo.Commit({{"conf/app.ini", conf}, {"README", "one"}}, {});
  git_oid c2 = f.repo.Commit({{"conf/app.ini", conf}, {"README", "two"}}, {c1});  // README only
  git_oid c3 = f.repo.Commit({{"conf/app.ini", conf + "x = 1\n"}, {"README", "two"}}, {c2});
  // c2 and c3 are pushed; c2's conf/ tree is c1's, upstream.
  GatewayPush push(f.repo, {c2, TreeOf(f.repo, c2), f.repo.Blob("two"), c3, TreeOf(f.repo, c3),
                            TreeOf(f.repo, c3, "conf"), f.repo.Blob(conf + "x = 1\n")});
  CopyingFetcher& fetcher = *push.fetcher;
  PushInspection in;
  Status s = InspectPush(*push.repo, *f.scanner, {TestRepo::Update(&c1, &c3, "refs/heads/main")}, push.options, &in);
  REQUIRE_MESSAGE(s.ok(), s.message());
  REQUIRE(in.findings.size() == 1);
  CHECK(in.findings[0].pre_existing);
  REQUIRE(fetcher.calls.size() == 2);
  CHECK(fetcher.calls[0].commits.empty());
  git_oid conf_tree = TreeOf(f.repo, c1, "conf");
  REQUIRE(fetcher.calls[0].trees.size() == 1);
  CHECK(git_oid_equal(&fetcher.calls[0].trees[0], &conf_tree));
  CHECK(fetcher.calls[1].blobs.size() == 1);
}

TEST_CASE("a pair split across two files of one push is the pair: both halves take its action and name each other") {
  Fixture f;
  Keys k;
  git_oid c1 = f.repo.Commit({{"README", "hello\n"}}, {});
  f.repo.SetRef("refs/heads/main", c1);
  git_oid c2 = f.repo.Commit({{"README", "hello\n"}, {"conf/id.ini", "access_key_id = " + k.id + "\n"}}, {c1});
  git_oid c3 = f.repo.Commit({{"README", "hello\n"},
                              {"conf/id.ini", "access_key_id = " + k.id + "\n"},
                              {"secret.ini", "access_key_secret = " + k.secret + "\n"}},
                             {c2});
  PushInspection in = f.Inspect({TestRepo::Update(&c1, &c3, "refs/heads/main")});
  REQUIRE(in.findings.size() == 2);
  for (const PushFinding& pf : in.findings) {
    CHECK(pf.finding.action == Action::kBlock);  // the rules say warn for each half alone
    CHECK(pf.pair_rule == "ak-pair");
    REQUIRE(pf.paired_with.size() == 1);
    const bool is_id = pf.finding.rule_id == "ak-id";
    CHECK(pf.paired_with[0] == (is_id ? "secret.ini:1 (ak-secret)" : "conf/id.ini:1 (ak-id)"));
  }

  // A half alone stays a warning.
  Fixture g;
  git_oid d1 = g.repo.Commit({{"README", "x\n"}}, {});
  g.repo.SetRef("refs/heads/main", d1);
  git_oid d2 = g.repo.Commit({{"README", "x\n"}, {"id.ini", "access_key_id = " + k.id + "\n"}}, {d1});
  PushInspection lone = g.Inspect({TestRepo::Update(&d1, &d2, "refs/heads/main")});
  REQUIRE(lone.findings.size() == 1);
  CHECK(lone.findings[0].finding.action == Action::kWarn);
  CHECK(lone.findings[0].paired_with.empty());
}

TEST_CASE("a half already in the repository does not pair with a half the push adds") {
  Fixture f;
  Keys k;
  git_oid c1 = f.repo.Commit({{"id.ini", "access_key_id = " + k.id + "\n"}}, {});
  f.repo.SetRef("refs/heads/main", c1);
  git_oid c2 = f.repo.Commit(
      {{"id.ini", "access_key_id = " + k.id + "\n"}, {"s.ini", "access_key_secret = " + k.secret + "\n"}}, {c1});
  PushInspection in = f.Inspect({TestRepo::Update(&c1, &c2, "refs/heads/main")});
  REQUIRE(in.findings.size() == 1);  // the ID is not introduced by this push
  CHECK(in.findings[0].finding.rule_id == "ak-secret");
  CHECK(in.findings[0].finding.action == Action::kWarn);
}
