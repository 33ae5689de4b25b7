// Objects that cannot be read as what they claim to be: a failure to check,
// never content skipped or read some other way. Packs are crafted byte by
// byte and indexed by libgit2's indexer, as the gateway indexes a pushed
// pack (git's index-pack would refuse them; libgit2's does not); loose
// objects are corrupted on disk, as only corruption can make them in a hook.
#define OPENSSL_SUPPRESS_DEPRECATED  // SHA1, for the pack's trailer
#include <doctest/doctest.h>
#include <git2/sys/odb_backend.h>
#include <openssl/sha.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "engine/rule_loader.h"
#include "engine/scanner.h"
#include "git/pack_reader.h"
#include "git/push_inspector.h"
#include "git_fixture.h"

using namespace akgate;
using namespace akgate::testing;

namespace {

const char* kRules = R"(
title = "corrupt object test rules"
[limits]
max_fragment_bytes = 4096
[[rules]]
id = "ak-id"
description = "AccessKey ID"
regex = '''\b(LTAI[A-Za-z0-9]{20})\b'''
entropy = 2.5
action = "block"
)";

std::string Zlib(const std::string& data) {
  uLongf n = compressBound(data.size());
  std::string out(n, '\0');
  REQUIRE(compress(reinterpret_cast<Bytef*>(out.data()), &n, reinterpret_cast<const Bytef*>(data.data()),
                   data.size()) == Z_OK);
  out.resize(n);
  return out;
}

git_oid Hash(git_object_t type, const std::string& data) {
  git_oid id;
  REQUIRE(git_odb_hash(&id, data.data(), data.size(), type) == 0);
  return id;
}

std::string Raw(const git_oid& id) { return std::string(reinterpret_cast<const char*>(id.id), 20); }

// A pack written entry by entry; each entry's header may declare any type
// and size, whatever its data.
struct PackBytes {
  std::string bytes;
  uint32_t count = 0;
  std::vector<uint64_t> offsets;

  static std::string Varint(uint64_t v) {
    std::string s;
    do {
      unsigned char c = v & 0x7f;
      v >>= 7;
      s.push_back(static_cast<char>(c | (v ? 0x80 : 0)));
    } while (v);
    return s;
  }
  void Header(int type, uint64_t size) {
    offsets.push_back(12 + bytes.size());
    unsigned char c = static_cast<unsigned char>((type << 4) | (size & 15));
    size >>= 4;
    while (size) {
      bytes.push_back(static_cast<char>(c | 0x80));
      c = size & 0x7f;
      size >>= 7;
    }
    bytes.push_back(static_cast<char>(c));
    count++;
  }
  void Object(git_object_t type, uint64_t declared, const std::string& data) {
    Header(type, declared);
    bytes += Zlib(data);
  }
  // An OFS_DELTA on entry `base` with raw delta bytes (header included).
  void OfsDelta(size_t base, const std::string& delta) {
    Header(6, delta.size());
    uint64_t ofs = offsets.back() - offsets[base];
    std::string enc(1, static_cast<char>(ofs & 127));
    while (ofs >>= 7) enc.insert(enc.begin(), static_cast<char>(128 | (--ofs & 127)));
    bytes += enc + Zlib(delta);
  }
  std::string Finish() const {
    std::string out = "PACK";
    for (uint32_t v : {2u, count})
      for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((v >> s) & 255));
    out += bytes;
    unsigned char md[20];
    SHA1(reinterpret_cast<const unsigned char*>(out.data()), out.size(), md);
    return out + std::string(reinterpret_cast<char*>(md), 20);
  }
};

// Indexes `pack` with libgit2's indexer into <dir>/objects/pack, as the
// gateway's PackWriter does; returns the objects directory.
std::string IndexLikeTheGateway(const TempDir& dir, const std::string& pack) {
  git_libgit2_init();
  std::string objects = dir.path() + "/objects";
  std::filesystem::create_directories(objects + "/pack");
  git_indexer* idx = nullptr;
  git_indexer_options opts = GIT_INDEXER_OPTIONS_INIT;
  git_indexer_progress progress{};
  REQUIRE(git_indexer_new(&idx, (objects + "/pack").c_str(), 0, nullptr, &opts) == 0);
  REQUIRE(git_indexer_append(idx, pack.data(), pack.size(), &progress) == 0);
  REQUIRE(git_indexer_commit(idx, &progress) == 0);
  git_indexer_free(idx);
  git_libgit2_shutdown();
  return objects;
}

// A version-2 .idx for a hand-made pack (offsets given), for the packs
// libgit2's indexer cannot index either.
void WriteIndex(const std::string& path, std::vector<std::pair<git_oid, uint64_t>> entries, const std::string& pack) {
  std::sort(entries.begin(), entries.end(), [](auto& a, auto& b) { return git_oid_cmp(&a.first, &b.first) < 0; });
  std::string out("\377tOc\0\0\0\2", 8);
  auto be32 = [&](uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((v >> s) & 255));
  };
  for (int b = 0; b < 256; ++b) {
    uint32_t n = 0;
    for (auto& e : entries) n += e.first.id[0] <= b;
    be32(n);
  }
  for (auto& e : entries) out += Raw(e.first);
  for (size_t i = 0; i < entries.size(); ++i) be32(0);
  for (auto& e : entries) be32(static_cast<uint32_t>(e.second));
  out += pack.substr(pack.size() - 20);
  out += std::string(20, '\0');
  std::ofstream(path, std::ios::binary) << out;
}

struct Gate {
  RuleSet rules;
  std::unique_ptr<Scanner> scanner;
  Gate() {
    REQUIRE(LoadRulesFromString(kRules, "<test>", &rules).ok());
    REQUIRE(Scanner::Create(rules, &scanner).ok());
  }
  // The gateway's inspection of `objects` for a push of `tip` to main.
  Status InspectObjectsOnly(const std::string& objects, const git_oid& tip, PushInspection* out) {
    std::unique_ptr<Repository> repo;
    Status s = Repository::OpenObjectsOnly(objects, RepositoryOptions(), &repo);
    REQUIRE_MESSAGE(s.ok(), s.message());
    InspectOptions o;
    o.missing = MissingObjects::kExistUpstream;
    return InspectPush(*repo, *scanner, {TestRepo::Update(nullptr, &tip, "refs/heads/main")}, o, out);
  }
};

std::string Key() { return "id = LTAI" + RandomAlnum(20) + "\n"; }

std::string TreeEntry(const char* mode, const std::string& name, const git_oid& id) {
  return std::string(mode) + " " + name + std::string(1, '\0') + Raw(id);
}

std::string CommitText(const git_oid& tree) {
  return "tree " + Hex(tree) +
         "\nauthor T <t@example.com> 1700000000 +0000\n"
         "committer T <t@example.com> 1700000000 +0000\n\nadd\n";
}

// A commit with one file whose blob entry in the pack declares `declared`
// bytes; returns the commit.
git_oid PackWithBlob(PackBytes* p, const std::string& content, uint64_t declared) {
  // The indexer names the object after what it hashed: the declared header
  // and the inflated data. Ask it, rather than guess.
  PackBytes only;
  only.Object(GIT_OBJECT_BLOB, declared, content);
  TempDir d;
  std::string objects = IndexLikeTheGateway(d, only.Finish());
  git_oid blob{};
  for (auto& e : std::filesystem::directory_iterator(objects + "/pack"))
    if (e.path().extension() == ".idx") {
      std::ifstream in(e.path(), std::ios::binary);
      std::string idx((std::istreambuf_iterator<char>(in)), {});
      std::memcpy(blob.id, idx.data() + 8 + 256 * 4, 20);
    }
  std::string tree = TreeEntry("100644", "config.ini", blob);
  git_oid tree_id = Hash(GIT_OBJECT_TREE, tree);
  std::string commit = CommitText(tree_id);
  p->Object(GIT_OBJECT_COMMIT, commit.size(), commit);
  p->Object(GIT_OBJECT_TREE, tree.size(), tree);
  p->Object(GIT_OBJECT_BLOB, declared, content);
  return Hash(GIT_OBJECT_COMMIT, commit);
}

}  // namespace

TEST_CASE("gateway: a pushed blob whose header declares another size than it holds is refused, named") {
  Gate gate;
  const std::string content = Key();
  struct Case {
    const char* name;
    uint64_t declared;
  };
  // Larger, smaller, and larger than max_file_size (a skip as "oversize"
  // used to rest on the header alone).
  for (Case c :
       {Case{"larger", content.size() + 10}, Case{"smaller", content.size() - 10}, Case{"oversize", 1 << 20}}) {
    CAPTURE(c.name);
    TempDir dir;
    PackBytes p;
    git_oid tip = PackWithBlob(&p, content, c.declared);
    std::string objects = IndexLikeTheGateway(dir, p.Finish());
    PushInspection in;
    Status s = gate.InspectObjectsOnly(objects, tip, &in);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("cannot be read as what it claims to be") != std::string::npos);
    CHECK(s.message().find("declares a blob of " + std::to_string(c.declared) + " bytes but holds " +
                           std::to_string(content.size())) != std::string::npos);
    CHECK(in.stats.skipped_total() == 0);
  }
}

TEST_CASE("gateway: a commit whose content is a tree, or a tree entry naming a blob, is refused") {
  Gate gate;
  git_oid blob = Hash(GIT_OBJECT_BLOB, Key());
  std::string inner_tree = TreeEntry("100644", "config.ini", blob);
  SUBCASE("a commit type holding tree data, pushed as the tip") {
    TempDir dir;
    PackBytes p;
    p.Object(GIT_OBJECT_COMMIT, inner_tree.size(), inner_tree);
    git_oid tip = Hash(GIT_OBJECT_COMMIT, inner_tree);
    PushInspection in;
    Status s = gate.InspectObjectsOnly(IndexLikeTheGateway(dir, p.Finish()), tip, &in);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("claims to be a commit but it is not a commit") != std::string::npos);
  }
  SUBCASE("a directory entry naming a blob that holds a tree: never skipped as 'upstream has it'") {
    TempDir dir;
    PackBytes p;
    const std::string secret = Key();
    git_oid disguised = Hash(GIT_OBJECT_BLOB, inner_tree);
    std::string root = TreeEntry("40000", "conf", disguised);
    git_oid root_id = Hash(GIT_OBJECT_TREE, root);
    std::string commit = CommitText(root_id);
    p.Object(GIT_OBJECT_COMMIT, commit.size(), commit);
    p.Object(GIT_OBJECT_TREE, root.size(), root);
    p.Object(GIT_OBJECT_BLOB, inner_tree.size(), inner_tree);
    p.Object(GIT_OBJECT_BLOB, secret.size(), secret);
    PushInspection in;
    Status s = gate.InspectObjectsOnly(IndexLikeTheGateway(dir, p.Finish()), Hash(GIT_OBJECT_COMMIT, commit), &in);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("cannot read tree " + Hex(disguised)) != std::string::npos);
  }
}

TEST_CASE("pack reader: sizes no object can have are refused before anything is allocated") {
  TempDir dir;
  std::string pack_dir = dir.path() + "/objects/pack";
  std::filesystem::create_directories(pack_dir);
  PackBytes p;
  const std::string base = "some base text\n";
  p.Object(GIT_OBJECT_BLOB, base.size(), base);
  // A delta on it declaring a 512 GiB result, and a tree declaring 1 TiB.
  p.OfsDelta(0, PackBytes::Varint(base.size()) + PackBytes::Varint(uint64_t{1} << 39) + "\x05" + "hello");
  p.Object(GIT_OBJECT_TREE, uint64_t{1} << 40, "100644 a");
  // A delta that copies from outside its base.
  p.OfsDelta(0, PackBytes::Varint(base.size()) + PackBytes::Varint(8) + std::string("\x91\x40\x08", 3));
  std::string pack = p.Finish();
  std::ofstream(pack_dir + "/pack-test.pack", std::ios::binary) << pack;
  std::vector<git_oid> ids;
  std::vector<std::pair<git_oid, uint64_t>> entries;
  for (size_t i = 0; i < p.offsets.size(); ++i) {
    ids.push_back(Hash(GIT_OBJECT_BLOB, "entry " + std::to_string(i)));  // any names will do
    entries.push_back({ids.back(), p.offsets[i]});
  }
  WriteIndex(pack_dir + "/pack-test.idx", entries, pack);
  std::unique_ptr<PackReader> reader = PackReader::Open(dir.path() + "/objects", 1 << 20);
  REQUIRE(reader != nullptr);
  git_object_t type;
  PackReader::Data data;
  CHECK(reader->Read(ids[0], &type, &data) == PackReader::Result::kFound);
  for (size_t i = 1; i < ids.size(); ++i) {
    CAPTURE(i);
    PackReader::Result r = PackReader::Result::kFound;
    CHECK_NOTHROW(r = reader->Read(ids[i], &type, &data));
    CHECK(r == PackReader::Result::kCorrupt);
    CHECK(reader->error().find("pack-test.pack") != std::string::npos);
  }
  CHECK(reader->error().find("copies from outside its base") != std::string::npos);
}

TEST_CASE("pack reader: a delta entry declaring more bytes than the pack can hold is refused before allocating them") {
  // Found with fuzz/pack_reader_fuzzer.cc (fuzz/corpus/pack_reader/crash-delta-declared-size):
  // the delta's own size from its entry header was allocated as given, so a
  // few bytes declaring 1 TiB threw std::bad_alloc (a whole object's size
  // was already bounded by what its compressed bytes can inflate to).
  TempDir dir;
  std::string pack_dir = dir.path() + "/objects/pack";
  std::filesystem::create_directories(pack_dir);
  PackBytes p;
  const std::string base = "hello world\n";
  p.Object(GIT_OBJECT_BLOB, base.size(), base);
  p.Header(6, uint64_t{1} << 40);
  uint64_t ofs = p.offsets.back() - p.offsets[0];
  std::string enc(1, static_cast<char>(ofs & 127));
  while (ofs >>= 7) enc.insert(enc.begin(), static_cast<char>(128 | (--ofs & 127)));
  p.bytes += enc + Zlib(PackBytes::Varint(base.size()) + PackBytes::Varint(base.size()) + std::string("\x90\x0c", 2));
  std::string pack = p.Finish();
  std::ofstream(pack_dir + "/pack-test.pack", std::ios::binary) << pack;
  git_oid base_id = Hash(GIT_OBJECT_BLOB, base), delta_id = Hash(GIT_OBJECT_BLOB, "the delta");
  WriteIndex(pack_dir + "/pack-test.idx", {{base_id, p.offsets[0]}, {delta_id, p.offsets[1]}}, pack);
  std::unique_ptr<PackReader> reader = PackReader::Open(dir.path() + "/objects", 1 << 20);
  REQUIRE(reader != nullptr);
  git_object_t type;
  PackReader::Data data;
  PackReader::Result r = PackReader::Result::kFound;
  CHECK_NOTHROW(r = reader->Read(delta_id, &type, &data));
  CHECK(r == PackReader::Result::kCorrupt);
  CHECK(reader->error().find("its delta declares 1099511627776 bytes") != std::string::npos);
  size_t size = 0;
  std::unique_ptr<PackReader> fresh = PackReader::Open(dir.path() + "/objects", 1 << 20);
  CHECK_NOTHROW(r = fresh->ReadCheckedHeader(delta_id, &type, &size));
  CHECK(r == PackReader::Result::kCorrupt);
  CHECK(fresh->error().find("its delta declares 1099511627776 bytes") != std::string::npos);
}

// --- the hook: loose objects corrupted on disk ---------------------------------

namespace {

// Rewrites the loose object `id` of `repo` as `header` + `content`, deflated.
void CorruptLoose(const TestRepo& repo, const git_oid& id, const std::string& header, const std::string& content) {
  std::string hex = Hex(id);
  std::string path = repo.path() + "/objects/" + hex.substr(0, 2) + "/" + hex.substr(2);
  std::filesystem::permissions(path, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << Zlib(header + std::string(1, '\0') + content);
}

}  // namespace

TEST_CASE("hook: a loose blob that is not what its name and header say is a failure to check, not a skip") {
  Gate gate;
  struct Case {
    const char* name;
    const char* expect;
  };
  for (Case c : {Case{"declares more than it holds", "declares a blob of"},
                 Case{"declares an oversize blob", "more than its file can hold"},
                 Case{"a changed byte", "does not hash to its name"},
                 Case{"declares more, and more than the limit", "declares a blob of"}}) {
    CAPTURE(c.name);
    TestRepo repo;
    const std::string content = Key();
    git_oid first = repo.Commit({{"README", "hello\n"}}, {});
    repo.SetRef("refs/heads/main", first);
    git_oid next = repo.Commit({{"README", "hello\n"}, {"config.ini", content}}, {first});
    git_oid blob = Hash(GIT_OBJECT_BLOB, content);
    std::string name = c.name;
    if (name == "declares more than it holds")
      CorruptLoose(repo, blob, "blob " + std::to_string(content.size() + 20), content);
    if (name == "declares an oversize blob") CorruptLoose(repo, blob, "blob 99999999999", content);
    if (name == "a changed byte")
      CorruptLoose(repo, blob, "blob " + std::to_string(content.size()), "x" + content.substr(1));
    if (name == "declares more, and more than the limit") CorruptLoose(repo, blob, "blob 5000", content);
    auto r = repo.Open();
    PushInspection in;
    Status s = InspectPush(*r, *gate.scanner, {TestRepo::Update(&first, &next, "refs/heads/main")}, {}, &in);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("the loose object " + Hex(blob)) != std::string::npos);
    CHECK(s.message().find(c.expect) != std::string::npos);
    CHECK(in.stats.skipped_total() == 0);
  }
}

TEST_CASE("hook: intact loose and packed objects read as before through the checked readers") {
  Gate gate;
  TestRepo repo;
  const std::string content = Key();
  git_oid c = repo.Commit({{"config.ini", content}, {"big.txt", std::string(6000, 'a')}}, {});
  auto r = repo.Open();
  PushInspection in;
  Status s = InspectPush(*r, *gate.scanner, {TestRepo::Update(nullptr, &c, "refs/heads/main")}, {}, &in);
  REQUIRE_MESSAGE(s.ok(), s.message());
  CHECK(in.findings.size() == 1);
  CHECK(in.stats.skipped["oversize"] == 1);
}
