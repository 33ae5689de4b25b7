// Test repositories built with libgit2: bare repositories in temporary
// directories, with trees given as {path: content} maps, so tests can state
// a commit graph in a few lines.
//
//   TestRepo r;
//   git_oid c1 = r.Commit({{"a.txt", "hello"}, {"dir/b", "x"}}, {});
//   git_oid c2 = r.Commit({{"a.txt", "changed"}}, {c1}, "second");
//   r.SetRef("refs/heads/main", c1);      // the pre-push state
//   RefUpdate u = TestRepo::Update(c1, c2, "refs/heads/main");
//
// Content "@link:<target>" makes a symlink, "@gitlink:<40 hex>" a submodule
// entry.
#pragma once

#include <doctest/doctest.h>
#include <git2.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "git/ref_update.h"
#include "git/repository.h"

namespace akgate::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "akgate-unit.XXXXXX").string();
    char* p = mkdtemp(tmpl.data());
    REQUIRE(p != nullptr);
    path_ = p;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A fingerprint key file (engine/fingerprint.h) in `dir`, mode 0600: 32
// bytes of `byte`, so a test knows its fingerprints. Returns its path.
inline std::string WriteFingerprintKey(const std::string& dir, char byte = '7', const char* name = "fingerprint.key") {
  std::string path = (std::filesystem::path(dir) / name).string();
  {
    std::ofstream out(path, std::ios::trunc);
    out << std::string(64, byte) << "\n";
  }
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  return path;
}

inline std::string Hex(const git_oid& id) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &id);
  return buf;
}

// Random letters and digits: every test key is random.
inline std::string RandomAlnum(size_t n) {
  static std::mt19937_64 rng{std::random_device{}()};
  static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string s;
  for (size_t i = 0; i < n; ++i) s.push_back(a[rng() % 62]);
  return s;
}

// A random Alibaba-style AccessKey pair, and a config file that holds it on
// two lines (the git-layer tests' rule sets pair them).
struct AkKeys {
  std::string id = "LTAI" + RandomAlnum(20);
  std::string secret = RandomAlnum(30);
  std::string File() const { return "access_key_id = " + id + "\naccess_key_secret = " + secret + "\n"; }
};

class TestRepo {
 public:
  explicit TestRepo(const std::string& subdir = "repo.git") {
    git_libgit2_init();
    path_ = (std::filesystem::path(dir_.path()) / subdir).string();
    REQUIRE(git_repository_init(&repo_, path_.c_str(), 1) == 0);
    REQUIRE(git_signature_new(&sig_, "Tester", "tester@example.com", 1700000000, 0) == 0);
  }
  ~TestRepo() {
    git_signature_free(sig_);
    git_repository_free(repo_);
    git_libgit2_shutdown();
  }

  git_repository* raw() const { return repo_; }
  const std::string& path() const { return path_; }
  const std::string& dir() const { return dir_.path(); }

  git_oid Blob(const std::string& content) {
    git_oid id;
    REQUIRE(git_blob_create_from_buffer(&id, repo_, content.data(), content.size()) == 0);
    return id;
  }

  git_oid Tree(const std::map<std::string, std::string>& files) {
    std::map<std::string, std::map<std::string, std::string>> subdirs;
    git_treebuilder* b = nullptr;
    REQUIRE(git_treebuilder_new(&b, repo_, nullptr) == 0);
    for (const auto& [path, content] : files) {
      size_t slash = path.find('/');
      if (slash != std::string::npos) {
        subdirs[path.substr(0, slash)][path.substr(slash + 1)] = content;
        continue;
      }
      git_oid id;
      git_filemode_t mode = GIT_FILEMODE_BLOB;
      if (content.rfind("@link:", 0) == 0) {
        id = Blob(content.substr(6));
        mode = GIT_FILEMODE_LINK;
      } else if (content.rfind("@gitlink:", 0) == 0) {
        REQUIRE(git_oid_fromstr(&id, content.substr(9).c_str()) == 0);
        mode = GIT_FILEMODE_COMMIT;
      } else {
        id = Blob(content);
      }
      REQUIRE(git_treebuilder_insert(nullptr, b, path.c_str(), &id, mode) == 0);
    }
    for (const auto& [name, sub] : subdirs) {
      git_oid id = Tree(sub);
      REQUIRE(git_treebuilder_insert(nullptr, b, name.c_str(), &id, GIT_FILEMODE_TREE) == 0);
    }
    git_oid out;
    REQUIRE(git_treebuilder_write(&out, b) == 0);
    git_treebuilder_free(b);
    return out;
  }

  git_oid Commit(const std::map<std::string, std::string>& files, const std::vector<git_oid>& parents,
                 const std::string& message = "a commit\n") {
    git_oid tree_id = Tree(files);
    git_tree* tree = nullptr;
    REQUIRE(git_tree_lookup(&tree, repo_, &tree_id) == 0);
    std::vector<git_commit*> ps;
    for (const git_oid& p : parents) {
      git_commit* c = nullptr;
      REQUIRE(git_commit_lookup(&c, repo_, &p) == 0);
      ps.push_back(c);
    }
    git_oid id;
    REQUIRE(git_commit_create(&id, repo_, nullptr, sig_, sig_, nullptr, message.c_str(), tree, ps.size(),
                              const_cast<const git_commit**>(ps.data())) == 0);
    for (git_commit* c : ps) git_commit_free(c);
    git_tree_free(tree);
    return id;
  }

  // An annotated tag object (no ref is created).
  git_oid Tag(const std::string& name, const git_oid& target, const std::string& message) {
    git_object* obj = nullptr;
    REQUIRE(git_object_lookup(&obj, repo_, &target, GIT_OBJECT_ANY) == 0);
    git_oid id;
    REQUIRE(git_tag_annotation_create(&id, repo_, name.c_str(), obj, sig_, message.c_str()) == 0);
    git_object_free(obj);
    return id;
  }

  void SetRef(const std::string& name, const git_oid& id) {
    git_reference* ref = nullptr;
    REQUIRE(git_reference_create(&ref, repo_, name.c_str(), &id, 1, nullptr) == 0);
    git_reference_free(ref);
  }

  std::unique_ptr<Repository> Open() const {
    RepositoryOptions o;
    o.git_dir = path_;
    std::unique_ptr<Repository> r;
    Status s = Repository::Open(o, &r);
    REQUIRE_MESSAGE(s.ok(), s.message());
    return r;
  }

  static RefUpdate Update(const git_oid* old_id, const git_oid* new_id, const std::string& ref) {
    std::string zero(40, '0');
    return RefUpdate{old_id ? Hex(*old_id) : zero, new_id ? Hex(*new_id) : zero, ref};
  }

 private:
  TempDir dir_;
  std::string path_;
  git_repository* repo_ = nullptr;
  git_signature* sig_ = nullptr;
};

// A real pack of `commit` and everything it reaches, made by libgit2.
inline std::string PackOf(TestRepo& repo, const git_oid& commit) {
  git_packbuilder* pb = nullptr;
  REQUIRE(git_packbuilder_new(&pb, repo.raw()) == 0);
  REQUIRE(git_packbuilder_insert_commit(pb, &commit) == 0);
  git_buf buf = GIT_BUF_INIT;
  REQUIRE(git_packbuilder_write_buf(&buf, pb) == 0);
  std::string pack(buf.ptr, buf.size);
  git_buf_dispose(&buf);
  git_packbuilder_free(pb);
  return pack;
}

}  // namespace akgate::testing
