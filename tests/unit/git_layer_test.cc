// The git layer: quoting, ref update lines, which objects are new, what a
// commit introduces, pack order.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "git/new_objects.h"
#include "git/pack_order.h"
#include "git/pack_reader.h"
#include "git/quoted_path.h"
#include "git/ref_update.h"
#include "git/tree_diff.h"
#include "git_fixture.h"

using namespace akgate;
using namespace akgate::testing;

namespace {

std::vector<std::string> Hexes(const std::vector<git_oid>& ids) {
  std::vector<std::string> out;
  for (const git_oid& id : ids) out.push_back(Hex(id));
  return out;
}

std::vector<std::string> Paths(const TreeChanges& c) {
  std::vector<std::string> out;
  for (const IntroducedFile& f : c.files) out.push_back(f.path);
  std::sort(out.begin(), out.end());
  return out;
}

NewObjects FindNew(TestRepo& r, const std::vector<RefUpdate>& updates) {
  auto repo = r.Open();
  NewObjects out;
  Status s = FindNewObjects(*repo, updates, {}, &out);
  REQUIRE_MESSAGE(s.ok(), s.message());
  return out;
}

TreeChanges Diff(TestRepo& r, const git_oid& commit) {
  auto repo = r.Open();
  TreeChanges out;
  Status s = DiffCommit(repo->repo(), repo->odb(), commit, MissingObjects::kError, &out);
  REQUIRE_MESSAGE(s.ok(), s.message());
  return out;
}

}  // namespace

TEST_CASE("git C-quoted paths are unquoted; plain paths pass through") {
  std::string out;
  CHECK(UnquoteCStyle("\"/srv/a b:c.git/objects\"", &out));
  CHECK(out == "/srv/a b:c.git/objects");
  CHECK(UnquoteCStyle("\"a\\\"b\\\\c\\tx\\303\\251\"", &out));
  CHECK(out == "a\"b\\c\tx\xc3\xa9");
  CHECK_FALSE(UnquoteCStyle("/plain/path", &out));
  CHECK_FALSE(UnquoteCStyle("\"unterminated", &out));
  CHECK_FALSE(UnquoteCStyle("\"bad \\q escape\"", &out));
  CHECK_FALSE(UnquoteCStyle("\"short \\30\"", &out));
  CHECK(PathFromGitEnv("/srv/repo.git/objects/tmp_objdir-incoming-x") == "/srv/repo.git/objects/tmp_objdir-incoming-x");
  CHECK(PathFromGitEnv("\"/srv/a:b.git/objects\"") == "/srv/a:b.git/objects");
}

TEST_CASE("ref update lines: valid lines parse, malformed ones name the line and the problem") {
  std::string a(40, 'a'), b(40, 'b'), z(40, '0');
  std::vector<RefUpdate> u;
  REQUIRE(ParseRefUpdates(a + " " + b + " refs/heads/main\n" + z + " " + b + " refs/tags/v1\n\n", &u).ok());
  REQUIRE(u.size() == 2);
  CHECK(u[0].ref == "refs/heads/main");
  CHECK_FALSE(u[0].is_create());
  CHECK(u[1].is_create());
  CHECK(u[1].is_tag());

  u.clear();
  Status s = ParseRefUpdates(a + " " + b + " refs/heads/ok\ngarbage\n", &u);
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("line 2") != std::string::npos);
  s = ParseRefUpdates(a + " xyz refs/heads/main\n", &u);
  CHECK(s.message().find("not an object id") != std::string::npos);
  s = ParseRefUpdates(std::string(64, 'a') + " " + std::string(64, 'b') + " refs/heads/main\n", &u);
  CHECK(s.message().find("SHA-256") != std::string::npos);
  s = ParseRefUpdates(a + " " + b + " refs/heads/a..b\n", &u);
  CHECK(s.message().find("not a valid ref name") != std::string::npos);
  s = ParseRefUpdates(a + " " + b + " main\n", &u);
  CHECK_FALSE(s.ok());
  s = ParseRefUpdates(z + " " + z + " refs/heads/main\n", &u);
  CHECK_FALSE(s.ok());
  s = ParseRefUpdates(a + " " + b + " refs/heads/\x01x\n", &u);
  CHECK(s.message().find("\\x01") != std::string::npos);
  u.clear();
  CHECK(ParseRefUpdates(a + " " + b + " refs/heads/main\r\n", &u).ok());  // CRLF tolerated
  CHECK(u.at(0).ref == "refs/heads/main");
}

TEST_CASE("new commits: only those no existing ref reaches") {
  TestRepo r;
  git_oid c1 = r.Commit({{"a", "1"}}, {});
  git_oid c2 = r.Commit({{"a", "2"}}, {c1});
  git_oid c3 = r.Commit({{"a", "3"}}, {c2});
  r.SetRef("refs/heads/main", c1);

  SUBCASE("fast-forward: the commits after the old tip, parents first") {
    NewObjects n = FindNew(r, {TestRepo::Update(&c1, &c3, "refs/heads/main")});
    CHECK(Hexes(n.commits) == std::vector<std::string>{Hex(c2), Hex(c3)});
  }
  SUBCASE("new branch from an old base: no rescan of history") {
    r.SetRef("refs/heads/main", c3);
    git_oid f = r.Commit({{"a", "feature"}}, {c1});
    NewObjects n = FindNew(r, {TestRepo::Update(nullptr, &f, "refs/heads/feature")});
    CHECK(Hexes(n.commits) == std::vector<std::string>{Hex(f)});
  }
  SUBCASE("force push: the overwritten commits are not scanned") {
    r.SetRef("refs/heads/main", c3);
    git_oid other = r.Commit({{"a", "rewritten"}}, {c1});
    NewObjects n = FindNew(r, {TestRepo::Update(&c3, &other, "refs/heads/main")});
    CHECK(Hexes(n.commits) == std::vector<std::string>{Hex(other)});
  }
  SUBCASE("deletion brings nothing") {
    NewObjects n = FindNew(r, {TestRepo::Update(&c1, nullptr, "refs/heads/main")});
    CHECK(n.commits.empty());
    CHECK(n.deletions == 1);
  }
  SUBCASE("a new ref at an existing commit brings nothing") {
    NewObjects n = FindNew(r, {TestRepo::Update(nullptr, &c1, "refs/heads/copy")});
    CHECK(n.commits.empty());
  }
  SUBCASE("several refs: the union, each commit once") {
    git_oid side = r.Commit({{"a", "side"}}, {c2});
    NewObjects n = FindNew(
        r, {TestRepo::Update(&c1, &c3, "refs/heads/main"), TestRepo::Update(nullptr, &side, "refs/heads/side")});
    std::vector<std::string> got = Hexes(n.commits);
    std::sort(got.begin(), got.end());
    std::vector<std::string> want{Hex(c2), Hex(c3), Hex(side)};
    std::sort(want.begin(), want.end());
    CHECK(got == want);
    CHECK(std::find(got.begin(), got.end(), Hex(c2)) != got.end());
    // c2 (a parent) comes before both children.
    std::vector<std::string> order = Hexes(n.commits);
    auto pos = [&](const git_oid& id) { return std::find(order.begin(), order.end(), Hex(id)) - order.begin(); };
    CHECK(pos(c2) < pos(c3));
    CHECK(pos(c2) < pos(side));
  }
  SUBCASE("annotated tag: the tag is new content, its commit is walked") {
    git_oid tag = r.Tag("v1", c2, "release notes\n");
    NewObjects n = FindNew(r, {TestRepo::Update(nullptr, &tag, "refs/tags/v1")});
    CHECK(Hexes(n.commits) == std::vector<std::string>{Hex(c2)});
    REQUIRE(n.tags.size() == 1);
    CHECK(n.tags[0].ref == "refs/tags/v1");
  }
  SUBCASE("an annotated tag already named by a ref is not new") {
    git_oid tag = r.Tag("v0", c1, "old\n");
    r.SetRef("refs/tags/v0", tag);
    NewObjects n = FindNew(r, {TestRepo::Update(nullptr, &tag, "refs/tags/v0-copy")});
    CHECK(n.tags.empty());
    CHECK(n.commits.empty());
  }
  SUBCASE("tags naming a blob or a tree directly or through a tag object") {
    git_oid blob = r.Blob("some content");
    git_oid tree = r.Tree({{"x", "y"}});
    git_oid tag = r.Tag("blobtag", blob, "a blob\n");
    NewObjects n = FindNew(
        r, {TestRepo::Update(nullptr, &tree, "refs/tags/tree"), TestRepo::Update(nullptr, &tag, "refs/tags/blob")});
    CHECK(n.commits.empty());
    CHECK(n.tags.size() == 1);
    REQUIRE(n.tagged.size() == 2);
    CHECK(n.tagged[0].type == GIT_OBJECT_TREE);
    CHECK(n.tagged[1].type == GIT_OBJECT_BLOB);
  }
  SUBCASE("a pushed object that does not exist is an error in the hook") {
    git_oid missing;
    git_oid_fromstr(&missing, "1234567890123456789012345678901234567890");
    auto repo = r.Open();
    NewObjects out;
    Status s = FindNewObjects(*repo, {TestRepo::Update(&c1, &missing, "refs/heads/main")}, {}, &out);
    CHECK_FALSE(s.ok());
    CHECK(s.message().find("1234567890") != std::string::npos);
  }
}

TEST_CASE("what a commit introduces") {
  TestRepo r;
  git_oid base = r.Commit({{"keep.txt", "same"}, {"dir/mod.txt", "v1"}, {"dir/deep/x", "x"}, {"gone", "bye"}}, {});

  SUBCASE("the root commit: every file") {
    CHECK(Paths(Diff(r, base)) == std::vector<std::string>{"dir/deep/x", "dir/mod.txt", "gone", "keep.txt"});
  }
  SUBCASE("added and modified files, with the previous version") {
    git_oid c = r.Commit({{"keep.txt", "same"}, {"dir/mod.txt", "v2"}, {"dir/deep/x", "x"}, {"new.txt", "n"}}, {base});
    TreeChanges t = Diff(r, c);
    CHECK(Paths(t) == std::vector<std::string>{"dir/mod.txt", "new.txt"});
    for (const IntroducedFile& f : t.files) {
      if (f.path == "dir/mod.txt") {
        REQUIRE(f.previous.size() == 1);
        git_oid v1 = r.Blob("v1");
        CHECK(git_oid_equal(&f.previous[0], &v1));
      } else {
        CHECK(f.previous.empty());
      }
    }
  }
  SUBCASE("a mode-only change introduces nothing; deletions introduce nothing") {
    git_oid c = r.Commit({{"keep.txt", "same"}, {"dir/mod.txt", "v1"}, {"dir/deep/x", "x"}}, {base});
    CHECK(Diff(r, c).files.empty());
  }
  SUBCASE("merge: a file taken unchanged from either side is not introduced by the merge") {
    git_oid left = r.Commit({{"keep.txt", "same"}, {"dir/mod.txt", "left"}, {"dir/deep/x", "x"}}, {base});
    git_oid right =
        r.Commit({{"keep.txt", "same"}, {"dir/mod.txt", "v1"}, {"dir/deep/x", "x"}, {"r.txt", "r"}}, {base});
    git_oid merge =
        r.Commit({{"keep.txt", "same"}, {"dir/mod.txt", "left"}, {"dir/deep/x", "x"}, {"r.txt", "r"}}, {left, right});
    CHECK(Diff(r, merge).files.empty());
    // A conflict resolution (content in neither parent) is introduced by the merge.
    git_oid resolved = r.Commit(
        {{"keep.txt", "same"}, {"dir/mod.txt", "resolved"}, {"dir/deep/x", "x"}, {"r.txt", "r"}}, {left, right});
    TreeChanges t = Diff(r, resolved);
    REQUIRE(Paths(t) == std::vector<std::string>{"dir/mod.txt"});
    CHECK(t.files[0].previous.size() == 2);
  }
  SUBCASE("octopus merge") {
    git_oid a = r.Commit({{"keep.txt", "same"}, {"a", "a"}}, {base});
    git_oid b = r.Commit({{"keep.txt", "same"}, {"b", "b"}}, {base});
    git_oid c = r.Commit({{"keep.txt", "same"}, {"c", "c"}}, {base});
    git_oid m = r.Commit({{"keep.txt", "same"}, {"a", "a"}, {"b", "b"}, {"c", "c"}, {"m", "only here"}}, {a, b, c});
    CHECK(Paths(Diff(r, m)) == std::vector<std::string>{"m"});
  }
  SUBCASE("symlinks are files (their target); gitlinks are counted, never read") {
    git_oid c = r.Commit({{"keep.txt", "same"},
                          {"link", "@link:keep.txt"},
                          {"sub", "@gitlink:1234567890123456789012345678901234567890"}},
                         {base});
    TreeChanges t = Diff(r, c);
    REQUIRE(Paths(t) == std::vector<std::string>{"link"});
    CHECK(t.files[0].symlink);
    CHECK(t.gitlinks == 1);
  }
  SUBCASE("renames: unchanged moves introduce nothing, edited moves keep the source as previous") {
    git_oid c =
        r.Commit({{"keep.txt", "same"}, {"dir/mod.txt", "v1"}, {"dir/deep/x", "x"}, {"moved/gone", "bye"}}, {base});
    CHECK(Diff(r, c).files.empty());
    git_oid d =
        r.Commit({{"keep.txt", "same"}, {"dir/mod.txt", "v1"}, {"dir/deep/x", "x"}, {"moved/gone", "bye!"}}, {base});
    TreeChanges t = Diff(r, d);
    REQUIRE(Paths(t) == std::vector<std::string>{"moved/gone"});
    REQUIRE(t.files[0].previous.size() == 1);
    git_oid old = r.Blob("bye");
    CHECK(git_oid_equal(&t.files[0].previous[0], &old));
  }
}

TEST_CASE("objects-only repositories: absent objects exist upstream and are not new") {
  TestRepo full;
  git_oid c1 = full.Commit({{"a.txt", "old content"}, {"lib/b.txt", "unchanged"}}, {});
  git_oid c2 = full.Commit({{"a.txt", "new content"}, {"lib/b.txt", "unchanged"}}, {c1});

  // A "pack" holding only c2's new objects: the commit, its root tree, the new blob.
  TempDir pack;
  std::string objects = pack.path() + "/objects";
  git_odb* dst = nullptr;
  std::filesystem::create_directories(objects);
  REQUIRE(git_odb_open(&dst, objects.c_str()) == 0);
  git_odb* src = nullptr;
  REQUIRE(git_repository_odb(&src, full.raw()) == 0);
  git_commit* commit = nullptr;
  REQUIRE(git_commit_lookup(&commit, full.raw(), &c2) == 0);
  git_oid new_blob = full.Blob("new content");
  for (const git_oid* id : std::vector<const git_oid*>{&c2, git_commit_tree_id(commit), &new_blob}) {
    git_odb_object* obj = nullptr;
    REQUIRE(git_odb_read(&obj, src, id) == 0);
    git_oid written;
    REQUIRE(git_odb_write(&written, dst, git_odb_object_data(obj), git_odb_object_size(obj),
                          git_odb_object_type(obj)) == 0);
    git_odb_object_free(obj);
  }
  git_commit_free(commit);
  git_odb_free(src);
  git_odb_free(dst);

  std::unique_ptr<Repository> repo;
  REQUIRE(Repository::OpenObjectsOnly(objects, RepositoryOptions(), &repo).ok());
  NewObjectsOptions o;
  o.missing = MissingObjects::kExistUpstream;
  NewObjects n;
  Status s = FindNewObjects(*repo, {TestRepo::Update(&c1, &c2, "refs/heads/main")}, o, &n);
  REQUIRE_MESSAGE(s.ok(), s.message());
  CHECK(Hexes(n.commits) == std::vector<std::string>{Hex(c2)});

  TreeChanges t;
  s = DiffCommit(repo->repo(), repo->odb(), c2, MissingObjects::kExistUpstream, &t);
  REQUIRE_MESSAGE(s.ok(), s.message());
  // The parent is upstream: no comparison, and the upstream-only subtree is skipped.
  REQUIRE(Paths(t) == std::vector<std::string>{"a.txt"});
  CHECK(t.files[0].previous_unknown);
  CHECK(t.files[0].previous.empty());

  // The same objects in the hook's mode are an error, not silently "old".
  TreeChanges strict;
  CHECK_FALSE(DiffCommit(repo->repo(), repo->odb(), c2, MissingObjects::kError, &strict).ok());
}

TEST_CASE("pack order: offsets from the pack index, loose objects last") {
  TestRepo r;
  std::vector<git_oid> blobs;
  for (int i = 0; i < 20; ++i) blobs.push_back(r.Blob("blob number " + std::to_string(i) + " " + RandomAlnum(40)));
  git_packbuilder* pb = nullptr;
  REQUIRE(git_packbuilder_new(&pb, r.raw()) == 0);
  for (size_t i = 0; i < 10; ++i) REQUIRE(git_packbuilder_insert(pb, &blobs[i], nullptr) == 0);
  std::string pack_dir = r.path() + "/objects/pack";
  REQUIRE(git_packbuilder_write(pb, pack_dir.c_str(), 0, nullptr, nullptr) == 0);
  git_packbuilder_free(pb);

  PackOrder order({r.path() + "/objects"});
  CHECK(order.packs() == 1);
  for (size_t i = 0; i < 10; ++i) CHECK(order.Key(blobs[i]) != UINT64_MAX);
  for (size_t i = 10; i < 20; ++i) CHECK(order.Key(blobs[i]) == UINT64_MAX);
  std::vector<git_oid> sorted = blobs;
  std::reverse(sorted.begin(), sorted.end());
  order.Sort(&sorted);
  for (size_t i = 0; i + 1 < 10; ++i) CHECK(order.Key(sorted[i]) < order.Key(sorted[i + 1]));
  for (size_t i = 10; i < 20; ++i) CHECK(order.Key(sorted[i]) == UINT64_MAX);
  // A directory without packs is no error: everything is "loose".
  PackOrder none({r.dir() + "/nowhere"});
  CHECK(none.packs() == 0);
}

TEST_CASE("push options: the repository says whether it accepts them") {
  TestRepo r;
  CHECK_FALSE(r.Open()->AcceptsPushOptions());  // git's default
  git_config* c = nullptr;
  REQUIRE(git_repository_config(&c, r.raw()) == 0);
  REQUIRE(git_config_set_bool(c, "receive.advertisePushOptions", 1) == 0);
  git_config_free(c);
  CHECK(r.Open()->AcceptsPushOptions());
}

TEST_CASE("the pack reader returns exactly what libgit2 reads, deltas included") {
  TestRepo r;
  // A history with many similar versions, so the pack is full of deltas.
  std::vector<git_oid> commits;
  std::string text;
  std::vector<git_oid> parents;
  for (int i = 0; i < 60; ++i) {
    text += "line " + std::to_string(i) + " " + RandomAlnum(30) + "\n";
    std::string other = text.substr(text.size() / 3);
    git_oid c = r.Commit({{"a.txt", text}, {"dir/b.txt", other}, {"dir/sub/c.txt", std::to_string(i)}}, parents,
                         "commit " + std::to_string(i) + "\n");
    parents = {c};
    commits.push_back(c);
  }
  git_packbuilder* pb = nullptr;
  REQUIRE(git_packbuilder_new(&pb, r.raw()) == 0);
  git_revwalk* walk = nullptr;
  REQUIRE(git_revwalk_new(&walk, r.raw()) == 0);
  REQUIRE(git_revwalk_push(walk, &commits.back()) == 0);
  REQUIRE(git_packbuilder_insert_walk(pb, walk) == 0);
  std::string pack_dir = r.path() + "/objects/pack";
  REQUIRE(git_packbuilder_write(pb, pack_dir.c_str(), 0, nullptr, nullptr) == 0);
  size_t written = git_packbuilder_object_count(pb);
  git_packbuilder_free(pb);
  git_revwalk_free(walk);

  std::unique_ptr<PackReader> reader = PackReader::Open(r.path() + "/objects", 4096);  // a tiny cache: evictions too
  REQUIRE(reader != nullptr);
  git_odb* odb = nullptr;
  REQUIRE(git_repository_odb(&odb, r.raw()) == 0);
  struct Ctx {
    git_odb* odb;
    PackReader* reader;
    size_t checked = 0, mismatched = 0;
    std::set<std::string> seen;  // foreach visits an object once per backend holding it
  } ctx{odb, reader.get()};
  REQUIRE(git_odb_foreach(
              odb,
              [](const git_oid* id, void* p) {
                auto* c = static_cast<Ctx*>(p);
                if (!c->reader->Contains(*id) || !c->seen.insert(Hex(*id)).second) return 0;
                git_odb_object* obj = nullptr;
                if (git_odb_read(&obj, c->odb, id) != 0) return -1;
                git_object_t type, htype;
                PackReader::Data data;
                size_t hsize = 0;
                bool same = c->reader->Read(*id, &type, &data) == PackReader::Result::kFound &&
                            c->reader->ReadHeader(*id, &htype, &hsize) == PackReader::Result::kFound &&
                            type == git_odb_object_type(obj) && htype == type && hsize == git_odb_object_size(obj) &&
                            data->size == git_odb_object_size(obj) &&
                            std::memcmp(data->bytes.get(), git_odb_object_data(obj), data->size) == 0;
                c->checked++;
                if (!same) c->mismatched++;
                git_odb_object_free(obj);
                return 0;
              },
              &ctx) == 0);
  git_odb_free(odb);
  CHECK(ctx.checked == written);
  CHECK(ctx.mismatched == 0);
  git_oid absent;
  git_oid_fromstr(&absent, "1234567890123456789012345678901234567890");
  git_object_t t;
  PackReader::Data d;
  CHECK(reader->Read(absent, &t, &d) == PackReader::Result::kNotFound);

  // Behind libgit2 as a backend, the same repository reads the same.
  auto repo = r.Open();  // adds the reader for objects/pack
  TreeChanges changes;
  CHECK(DiffCommit(repo->repo(), repo->odb(), commits.back(), MissingObjects::kError, &changes).ok());
  CHECK(changes.files.size() == 3);
}

TEST_CASE("with the pack reader in front, git_odb_foreach lists each packed object as before") {
  TestRepo r;
  git_oid c = r.Commit({{"a", "1"}, {"b", "2"}}, {});
  git_packbuilder* pb = nullptr;
  REQUIRE(git_packbuilder_new(&pb, r.raw()) == 0);
  REQUIRE(git_packbuilder_insert_commit(pb, &c) == 0);
  std::string pack_dir = r.path() + "/objects/pack";
  REQUIRE(git_packbuilder_write(pb, pack_dir.c_str(), 0, nullptr, nullptr) == 0);
  git_packbuilder_free(pb);
  auto count = [](git_odb* odb) {
    size_t n = 0;
    git_odb_foreach(
        odb,
        [](const git_oid*, void* p) {
          ++*static_cast<size_t*>(p);
          return 0;
        },
        &n);
    return n;
  };
  RepositoryOptions plain;
  plain.git_dir = r.path();
  plain.fast_pack_reader = false;
  std::unique_ptr<Repository> without, with;
  REQUIRE(Repository::Open(plain, &without).ok());
  with = r.Open();
  CHECK(count(with->odb()) == count(without->odb()));
}
