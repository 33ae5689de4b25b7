// A recursive compare of one tree with its parents' trees at the same path.
#include "git/tree_diff.h"

#include <git2/commit.h>
#include <git2/errors.h>
#include <git2/odb.h>
#include <git2/tree.h>

#include <cstring>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "git/git_error.h"
#include "git/oid_map.h"

namespace akgate {

namespace {

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

// A lookup that came back GIT_ENOTFOUND means "upstream has it" (or, for
// the history scan, "this clone lacks it") only when the object is truly
// absent: libgit2 also answers GIT_ENOTFOUND for an object of another type
// (a tree entry naming a blob), and such an object is a push that cannot be
// read as it claims, never content to skip.
bool Absent(int rc, git_odb* odb, const git_oid& id, MissingObjects missing) {
  return rc == GIT_ENOTFOUND && missing != MissingObjects::kError && !git_odb_exists(odb, &id);
}

}  // namespace

// The trees read for the current commit and the one before. Commits come
// parents first, so the next commit's parent trees are usually here; holding
// them ourselves beats libgit2's object cache, which evicts at random once
// full and then re-inflates whole delta chains.
struct TreeCache {
  using Map = std::unordered_map<git_oid, TreePtr, OidHash, OidEq>;
  Map current, previous;

  void NextCommit() {
    previous = std::move(current);
    current = Map();
  }
  // Another reference to a cached tree, or null.
  git_tree* Find(const git_oid& id) {
    auto it = current.find(id);
    if (it == current.end()) {
      auto p = previous.find(id);
      if (p == previous.end()) return nullptr;
      it = current.emplace(id, std::move(p->second)).first;
      previous.erase(p);
    }
    git_tree* dup = nullptr;
    git_tree_dup(&dup, it->second.get());
    return dup;
  }
  void Keep(const git_oid& id, git_tree* t) {
    git_tree* dup = nullptr;
    if (git_tree_dup(&dup, t) == 0) current[id].reset(dup);
  }
};

namespace {

class Differ {
 public:
  Differ(git_repository* repo, git_odb* odb, MissingObjects missing, TreeCache* cache, TreeChanges* out)
      : repo_(repo), odb_(odb), missing_(missing), cache_(cache), out_(out) {}

  // Loads a tree; *absent is set (and Ok returned) when it is upstream-only.
  Status Load(const git_oid& id, TreePtr* tree, bool* absent) {
    *absent = false;
    if (git_tree* cached = cache_->Find(id)) {
      tree->reset(cached);
      return Status::Ok();
    }
    git_tree* t = nullptr;
    int rc = git_tree_lookup(&t, repo_, &id);
    if (Absent(rc, odb_, id, missing_)) {
      *absent = true;
      return Status::Ok();
    }
    if (rc < 0) return GitStatus("cannot read tree " + OidHex(id), rc);
    tree->reset(t);
    cache_->Keep(id, t);
    return Status::Ok();
  }

  // Compares the tree `tree_id` at `prefix` with each parent's tree there.
  // Entries are in git's tree order in every tree, so each parent is walked
  // with a cursor alongside the new tree (a merge, not a lookup per entry),
  // and a path string is built only for what differs.
  Status Diff(const std::string& prefix, const git_oid& tree_id, std::vector<Side>& parents) {
    for (const Side& p : parents)
      if (p.state == Side::kTree && git_oid_equal(&p.id, &tree_id)) return Status::Ok();
    TreePtr tree;
    bool absent;
    Status s = Load(tree_id, &tree, &absent);
    if (absent && missing_ == MissingObjects::kSkip) out_->absent_trees++;
    if (!s.ok() || absent) return s;  // an upstream-only subtree holds nothing new
    bool unknown = false;
    for (Side& p : parents) {
      if (p.state == Side::kTree) {
        s = Load(p.id, &p.tree, &absent);
        if (!s.ok()) return s;
        if (absent) p.state = Side::kUnknown;
      }
      if (p.state == Side::kUnknown) unknown = true;
    }
    const bool renames = parents.size() == 1 && parents[0].state == Side::kTree;
    auto join = [&](const char* name) { return prefix.empty() ? std::string(name) : prefix + "/" + name; };

    std::vector<size_t> cursor(parents.size(), 0);
    std::vector<const git_tree_entry*> match(parents.size());
    size_t n = git_tree_entrycount(tree.get());
    for (size_t i = 0; i < n; ++i) {
      const git_tree_entry* e = git_tree_entry_byindex(tree.get(), i);
      // Each parent's entry with the same name and kind, if any; entries a
      // single parent has before it are files deleted from this tree.
      for (size_t k = 0; k < parents.size(); ++k) {
        match[k] = nullptr;
        if (parents[k].state != Side::kTree) continue;
        git_tree* pt = parents[k].tree.get();
        size_t pn = git_tree_entrycount(pt);
        while (cursor[k] < pn) {
          const git_tree_entry* pe = git_tree_entry_byindex(pt, cursor[k]);
          int c = git_tree_entry_cmp(pe, e);
          if (c > 0) break;
          ++cursor[k];
          if (c == 0) {
            match[k] = pe;
            break;
          }
          if (renames) NoteDeleted(pe, join);
        }
      }
      s = Entry(e, parents, match, unknown, join);
      if (!s.ok()) return s;
    }
    if (renames) {
      git_tree* pt = parents[0].tree.get();
      for (size_t j = cursor[0]; j < git_tree_entrycount(pt); ++j) NoteDeleted(git_tree_entry_byindex(pt, j), join);
    }
    return Status::Ok();
  }

  // One entry of the new tree against its matches in the parents.
  template <typename Join>
  Status Entry(const git_tree_entry* e, std::vector<Side>& parents, const std::vector<const git_tree_entry*>& match,
               bool unknown, const Join& join) {
    git_filemode_t mode = git_tree_entry_filemode(e);
    const git_oid* id = git_tree_entry_id(e);
    for (const git_tree_entry* pe : match)
      if (pe && git_oid_equal(git_tree_entry_id(pe), id) &&
          (mode == GIT_FILEMODE_TREE) == (git_tree_entry_filemode(pe) == GIT_FILEMODE_TREE))
        return Status::Ok();  // the same as in some parent: nothing new here or below

    if (mode == GIT_FILEMODE_TREE) {
      std::vector<Side> sub(parents.size());
      for (size_t k = 0; k < parents.size(); ++k) {
        if (parents[k].state == Side::kUnknown) {
          sub[k].state = Side::kUnknown;
        } else if (match[k] && git_tree_entry_filemode(match[k]) == GIT_FILEMODE_TREE) {
          sub[k].state = Side::kTree;
          sub[k].id = *git_tree_entry_id(match[k]);
        }
      }
      return Diff(join(git_tree_entry_name(e)), *id, sub);
    }
    if (mode == GIT_FILEMODE_COMMIT) {
      out_->gitlinks++;
      return Status::Ok();
    }
    if (!IsFile(mode)) return Status::Ok();
    // Upstream has it; the history scan keeps it, so the blob reader counts it absent.
    if (missing_ == MissingObjects::kExistUpstream && !git_odb_exists(odb_, id)) return Status::Ok();
    IntroducedFile f;
    f.path = join(git_tree_entry_name(e));
    f.blob = *id;
    f.symlink = mode == GIT_FILEMODE_LINK;
    for (const git_tree_entry* pe : match)
      if (pe && IsFile(git_tree_entry_filemode(pe))) f.previous.push_back(*git_tree_entry_id(pe));
    f.previous_unknown = unknown;
    out_->files.push_back(std::move(f));
    return Status::Ok();
  }

  template <typename Join>
  void NoteDeleted(const git_tree_entry* pe, const Join& join) {
    if (IsFile(git_tree_entry_filemode(pe)))
      deleted_.push_back({join(git_tree_entry_name(pe)), *git_tree_entry_id(pe)});
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
    for (const DeletedFile& d : deleted_)
      deleted_blobs.emplace(reinterpret_cast<const char*>(d.blob.id), GIT_OID_RAWSZ);
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
  TreeCache* cache_;
  TreeChanges* out_;
  std::vector<DeletedFile> deleted_;
};

}  // namespace

CommitDiffer::CommitDiffer(git_repository* repo, git_odb* odb, MissingObjects missing)
    : repo_(repo), odb_(odb), missing_(missing), cache_(std::make_unique<TreeCache>()) {}

CommitDiffer::~CommitDiffer() = default;

Status CommitDiffer::Diff(const git_oid& id, TreeChanges* out) {
  cache_->NextCommit();
  git_commit* c = nullptr;
  if (git_commit_lookup(&c, repo_, &id) < 0) return GitStatus("cannot read commit " + OidHex(id));
  git_oid tree_id = *git_commit_tree_id(c);
  std::vector<Side> parents(git_commit_parentcount(c));
  Status s;
  for (unsigned i = 0; i < parents.size() && s.ok(); ++i) {
    git_commit* p = nullptr;
    int rc = git_commit_lookup(&p, repo_, git_commit_parent_id(c, i));
    if (Absent(rc, odb_, *git_commit_parent_id(c, i), missing_)) {
      parents[i].state = Side::kUnknown;
      continue;
    }
    if (rc < 0) {
      s = GitStatus("cannot read commit " + OidHex(*git_commit_parent_id(c, i)) + ", parent of " + OidHex(id));
      break;
    }
    parents[i].state = Side::kTree;
    parents[i].id = *git_commit_tree_id(p);
    git_commit_free(p);
  }
  git_commit_free(c);
  if (!s.ok()) return s;
  Differ d(repo_, odb_, missing_, cache_.get(), out);
  s = d.Diff("", tree_id, parents);
  if (s.ok()) d.MatchRenames();
  return s;
}

Status CommitDiffer::ListTree(const git_oid& tree, TreeChanges* out) {
  Differ d(repo_, odb_, missing_, cache_.get(), out);
  std::vector<Side> none;
  return d.Diff("", tree, none);
}

Status DiffCommit(git_repository* repo, git_odb* odb, const git_oid& id, MissingObjects missing, TreeChanges* out) {
  return CommitDiffer(repo, odb, missing).Diff(id, out);
}

Status ListTree(git_repository* repo, git_odb* odb, const git_oid& tree, MissingObjects missing, TreeChanges* out) {
  return CommitDiffer(repo, odb, missing).ListTree(tree, out);
}

}  // namespace akgate
