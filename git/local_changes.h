// A commit or a push seen from the developer's clone, as the ref updates
// and hidden commits the hook's inspection (push_inspector.h) takes, so a
// local check reads, attributes lines and decides as the server will.
//
//   LocalRepository local;
//   Status s = LocalRepository::Discover(&local);          // $GIT_DIR, else from the current directory
//   LocalPush push;
//   s = StagedPush(&local, &push);                         // git commit: the index
//   s = RangePush(&local, "origin/main..HEAD", &push);      // git push: a range
//   ... InspectPush(local.repository(), scanner, push.updates, o with hide_commits = &push.hide, ...)
//
// The staged changes become what `git commit` would write: the index as a
// tree, and a commit on HEAD, written into a temporary objects directory
// (never into the repository), which the Repository reads as its
// quarantine. So the blobs scanned are the staged ones, line numbers are
// those of the staged content, and a file deleted from the work tree after
// `git add` is still checked.
#pragma once

#include <git2/oid.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "git/ref_update.h"
#include "git/repository.h"

namespace akgate {

struct LocalPush {
  std::vector<RefUpdate> updates;  // what is "pushed": the tips
  std::vector<git_oid> hide;       // what the receiving side already has
  std::string what;                // "the staged changes", "origin/main..HEAD" (for messages)
};

class LocalRepository {
 public:
  // The repository git would use here: $GIT_DIR (and $GIT_INDEX_FILE, which
  // `git commit -a` and `git commit PATH` set for the pre-commit hook) as
  // git sets them, else found from `start` (default: the current directory).
  static Status Discover(LocalRepository* out, const std::string& start = "");
  LocalRepository() = default;
  ~LocalRepository();
  LocalRepository(const LocalRepository&) = delete;
  LocalRepository& operator=(const LocalRepository&) = delete;

  // The repository the inspection reads (with the staged objects, once
  // StagedPush made them). Null before Open.
  const Repository* repository() const { return repo_.get(); }
  const std::string& git_dir() const { return git_dir_; }
  const std::string& work_tree() const { return work_tree_; }  // "" for a bare repository

 private:
  friend Status StagedPush(LocalRepository* local, LocalPush* out);
  friend Status RangePush(LocalRepository* local, const std::string& range, LocalPush* out);
  friend Status PrePush(LocalRepository* local, const std::string& remote, std::string_view input, LocalPush* out);
  Status Open(const std::string& quarantine);

  git_repository* handle_ = nullptr;  // the discovery handle: index, revisions, writes
  std::unique_ptr<Repository> repo_;
  std::string git_dir_, work_tree_, staging_dir_;
};

// What `git commit` would record: the index written as a tree into a
// temporary objects directory, a commit of it on HEAD (none on an unborn
// branch), HEAD hidden. An index with unmerged paths is an error, as it is
// for git commit.
Status StagedPush(LocalRepository* local, LocalPush* out);

// "A..B" (what B has that A has not), or "REV" alone (REV..HEAD, the
// --since form). Revisions as git reads them (HEAD~3, origin/main, a tag).
Status RangePush(LocalRepository* local, const std::string& range, LocalPush* out);

// What git's pre-push hook reads on stdin, one ref a line:
//   <local ref> SP <local oid> SP <remote ref> SP <remote oid> LF
// The commits pushed are those of the local oids that the remote has not:
// not reachable from any remote oid present here, nor from the
// remote-tracking refs of `remote` (refs/remotes/<remote>/*). Deletions
// push nothing.
Status PrePush(LocalRepository* local, const std::string& remote, std::string_view input, LocalPush* out);

}  // namespace akgate
