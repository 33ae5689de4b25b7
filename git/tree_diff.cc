// A recursive compare of one tree with its parents' trees at the same path.
#include "git/tree_diff.h"

#include <git2/commit.h>
#include <git2/errors.h>
#include <git2/odb.h>
#include <git2/tree.h>

#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "git/git_error.h"

namespace akgate {

namespace {

std::string Hex(const git_oid& id) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &id);
  return buf;
}

bool IsFile(git_filemode_t m) {
  return m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE || m == GIT_FILEMODE_LINK;
}

struct TreeFree {
  void operator()(git_tree* t) const { git_tree_free(t); }
};
using TreePtr = std::unique_ptr<git_tree, TreeFree>;

// One parent's side at the path being compared.
struct Side {
  enum State { kAbsent, kTree, kUnknown } state = kAbsent;
  git_oid id{};
  TreePtr tree;  // loaded when state == kTree and the compare goes inside
};

struct DeletedFile {
  std::string path;
  git_oid blob;
};

class Differ {
 public:
  Differ(git_repository* repo, git_odb* odb, MissingObjects missing, TreeChanges* out)
      : repo_(repo), odb_(odb), missing_(missing), out_(out) {}

  // Loads a tree; *absent is set (and Ok returned) when it is upstream-only.
  Status Load(const git_oid& id, TreePtr* tree, bool* absent) {
    git_tree* t = nullptr;
    int rc = git_tree_lookup(&t, repo_, &id);
    *absent = false;
    if (rc == GIT_ENOTFOUND && missing_ == MissingObjects::kExistUpstream) {
      *absent = true;
      return Status::Ok();
    }
    if (rc < 0) return GitStatus("cannot read tree " + Hex(id));
    tree->reset(t);
    return Status::Ok();
  }

  Status Diff(const std::string& prefix, const git_oid& tree_id, std::vector<Side>& parents) {
    for (const Side& p : parents)
      if (p.state == Side::kTree && git_oid_equal(&p.id, &tree_id)) return Status::Ok();
    TreePtr tree;
    bool absent;
    Status s = Load(tree_id, &tree, &absent);
    if (!s.ok() || absent) return s;  // an upstream-only subtree holds nothing new
    for (Side& p : parents) {
      if (p.state != Side::kTree) continue;
      s = Load(p.id, &p.tree, &absent);
      if (!s.ok()) return s;
      if (absent) p.state = Side::kUnknown;
    }

    size_t n = git_tree_entrycount(tree.get());
    for (size_t i = 0; i < n; ++i) {
      const git_tree_entry* e = git_tree_entry_byindex(tree.get(), i);
      const char* name = git_tree_entry_name(e);
      git_filemode_t mode = git_tree_entry_filemode(e);
      const git_oid* id = git_tree_entry_id(e);
      std::string path = prefix.empty() ? std::string(name) : prefix + "/" + name;

      if (mode == GIT_FILEMODE_TREE) {
        std::vector<Side> sub(parents.size());
        for (size_t k = 0; k < parents.size(); ++k) {
          if (parents[k].state == Side::kUnknown) {
            sub[k].state = Side::kUnknown;
          } else if (parents[k].state == Side::kTree) {
            const git_tree_entry* pe = git_tree_entry_byname(parents[k].tree.get(), name);
            if (pe && git_tree_entry_filemode(pe) == GIT_FILEMODE_TREE) {
              sub[k].state = Side::kTree;
              sub[k].id = *git_tree_entry_id(pe);
            }
          }
        }
        s = Diff(path, *id, sub);
        if (!s.ok()) return s;
        continue;
      }

      bool same = false, unknown = false;
      std::vector<git_oid> previous;
      for (const Side& p : parents) {
        if (p.state == Side::kUnknown) unknown = true;
        if (p.state != Side::kTree) continue;
        const git_tree_entry* pe = git_tree_entry_byname(p.tree.get(), name);
        if (!pe) continue;
        git_filemode_t pm = git_tree_entry_filemode(pe);
        bool comparable = mode == GIT_FILEMODE_COMMIT ? pm == GIT_FILEMODE_COMMIT : IsFile(pm);
        if (!comparable) continue;
        if (git_oid_equal(git_tree_entry_id(pe), id)) same = true;
        else if (mode != GIT_FILEMODE_COMMIT) previous.push_back(*git_tree_entry_id(pe));
      }
      if (same) continue;
      if (mode == GIT_FILEMODE_COMMIT) {
        out_->gitlinks++;
        continue;
      }
      if (!IsFile(mode)) continue;
      if (missing_ == MissingObjects::kExistUpstream && !git_odb_exists(odb_, id)) continue;
      IntroducedFile f;
      f.path = std::move(path);
      f.blob = *id;
      f.symlink = mode == GIT_FILEMODE_LINK;
      f.previous = std::move(previous);
      f.previous_unknown = unknown;
      out_->files.push_back(std::move(f));
    }

    // Files only the (single) parent has: rename sources.
    if (parents.size() == 1 && parents[0].state == Side::kTree) {
      git_tree* pt = parents[0].tree.get();
      size_t pn = git_tree_entrycount(pt);
      for (size_t i = 0; i < pn; ++i) {
        const git_tree_entry* pe = git_tree_entry_byindex(pt, i);
        if (!IsFile(git_tree_entry_filemode(pe))) continue;
        const char* name = git_tree_entry_name(pe);
        if (git_tree_entry_byname(tree.get(), name)) continue;
        deleted_.push_back({prefix.empty() ? std::string(name) : prefix + "/" + name, *git_tree_entry_id(pe)});
      }
    }
    return Status::Ok();
  }

  // Added files (no previous version) matched with deleted ones.
  void MatchRenames() {
    if (deleted_.empty()) return;
    auto base = [](const std::string& p) {
      size_t slash = p.rfind('/');
      return slash == std::string::npos ? p : p.substr(slash + 1);
    };
    std::unordered_map<std::string, int> by_name;  // basename -> index, -1 when ambiguous
    for (size_t i = 0; i < deleted_.size(); ++i) {
      auto [it, inserted] = by_name.emplace(base(deleted_[i].path), static_cast<int>(i));
      if (!inserted) it->second = -1;
    }
    std::unordered_set<std::string> deleted_blobs;
    for (const DeletedFile& d : deleted_) deleted_blobs.emplace(reinterpret_cast<const char*>(d.blob.id), GIT_OID_RAWSZ);
    std::vector<IntroducedFile> kept;
    kept.reserve(out_->files.size());
    for (IntroducedFile& f : out_->files) {
      if (!f.previous.empty() || f.previous_unknown) {
        kept.push_back(std::move(f));
        continue;
      }
      if (deleted_blobs.count(std::string(reinterpret_cast<const char*>(f.blob.id), GIT_OID_RAWSZ)))
        continue;  // moved unchanged: nothing new
      auto it = by_name.find(base(f.path));
      if (it != by_name.end() && it->second >= 0) f.previous.push_back(deleted_[it->second].blob);
      kept.push_back(std::move(f));
    }
    out_->files = std::move(kept);
  }

 private:
  git_repository* repo_;
  git_odb* odb_;
  MissingObjects missing_;
  TreeChanges* out_;
  std::vector<DeletedFile> deleted_;
};

}  // namespace

Status DiffCommit(git_repository* repo, git_odb* odb, const git_oid& id, MissingObjects missing, TreeChanges* out) {
  git_commit* c = nullptr;
  if (git_commit_lookup(&c, repo, &id) < 0) return GitStatus("cannot read commit " + Hex(id));
  git_oid tree_id = *git_commit_tree_id(c);
  std::vector<Side> parents(git_commit_parentcount(c));
  Status s;
  for (unsigned i = 0; i < parents.size() && s.ok(); ++i) {
    git_commit* p = nullptr;
    int rc = git_commit_lookup(&p, repo, git_commit_parent_id(c, i));
    if (rc == GIT_ENOTFOUND && missing == MissingObjects::kExistUpstream) {
      parents[i].state = Side::kUnknown;
      continue;
    }
    if (rc < 0) {
      s = GitStatus("cannot read commit " + Hex(*git_commit_parent_id(c, i)) + ", parent of " + Hex(id));
      break;
    }
    parents[i].state = Side::kTree;
    parents[i].id = *git_commit_tree_id(p);
    git_commit_free(p);
  }
  git_commit_free(c);
  if (!s.ok()) return s;
  Differ d(repo, odb, missing, out);
  s = d.Diff("", tree_id, parents);
  if (s.ok()) d.MatchRenames();
  return s;
}

Status ListTree(git_repository* repo, git_odb* odb, const git_oid& tree, MissingObjects missing, TreeChanges* out) {
  Differ d(repo, odb, missing, out);
  std::vector<Side> none;
  return d.Diff("", tree, none);
}

}  // namespace akgate
