// What one new commit introduces: the files whose content differs from every
// parent's version of that path.
//
//   - a regular commit: files added or modified relative to its parent;
//   - the root commit: every file (compared with the empty tree);
//   - a merge (any number of parents): a path is introduced only when its
//     blob differs from EVERY parent's blob at that path. A file taken
//     unchanged from one side was introduced on that side, not by the merge.
//   - symlinks are files whose content is the link target (tiny, scanned);
//   - gitlinks (submodule entries) are commits of another repository, not
//     blobs: counted, never read.
//   - a file deleted from one path and added at another in the same commit is
//     a rename: with the same blob nothing is introduced; with a unique
//     deleted file of the same name, that file is the "previous" version.
//
// Subtrees with the same id as in some parent are skipped without reading
// them, so a commit costs in proportion to what it changed.
//
// For every introduced file the previous versions (the parents' blobs at that
// path) are kept: a secret already present in one of them is pre-existing,
// not introduced (see push_inspector.h).
#pragma once

#include <git2/oid.h>
#include <git2/types.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/status.h"
#include "git/new_objects.h"

namespace akgate {

struct IntroducedFile {
  std::string path;
  git_oid blob;
  bool symlink = false;
  std::vector<git_oid> previous;  // the parents' differing blobs at this path (or the rename source)
  bool previous_unknown = false;  // some parent could not be read (it exists upstream only)
};

struct TreeChanges {
  std::vector<IntroducedFile> files;
  uint32_t gitlinks = 0;      // submodule entries added or changed
  uint32_t absent_trees = 0;  // MissingObjects::kSkip: trees not in the object database
};

struct TreeCache;

// Diffs commits one after another (parents before children), keeping the
// trees of the last commit it read: the next commit's parent is usually that
// commit, so its trees are compared without being read again. One per thread.
class CommitDiffer {
 public:
  CommitDiffer(git_repository* repo, git_odb* odb, MissingObjects missing);
  ~CommitDiffer();
  CommitDiffer(const CommitDiffer&) = delete;
  CommitDiffer& operator=(const CommitDiffer&) = delete;

  // As DiffCommit below.
  Status Diff(const git_oid& commit, TreeChanges* out);
  // As ListTree below.
  Status ListTree(const git_oid& tree, TreeChanges* out);

 private:
  git_repository* repo_;
  git_odb* odb_;
  MissingObjects missing_;
  std::unique_ptr<TreeCache> cache_;
};

// The changes commit `id` introduces relative to its parents. With
// MissingObjects::kExistUpstream, an absent parent commit or tree cannot be
// compared (previous_unknown) and an absent blob or subtree is not new.
Status DiffCommit(git_repository* repo, git_odb* odb, const git_oid& id, MissingObjects missing, TreeChanges* out);

// Every file of a tree, as if added (a ref that names a tree directly).
Status ListTree(git_repository* repo, git_odb* odb, const git_oid& tree, MissingObjects missing, TreeChanges* out);

}  // namespace akgate
