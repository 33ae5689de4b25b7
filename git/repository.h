// The repository a push is going into, with the pushed objects visible.
//
// Inside pre-receive the pushed objects are not in the repository yet: git
// holds them in a quarantine directory ($GIT_QUARANTINE_PATH, under
// objects/tmp_objdir-incoming-*) until every hook has accepted the push.
// git_repository_open ignores that directory, so we open the repository bare
// and add the quarantine to its object database as an on-disk alternate.
//
//   RepositoryOptions o;
//   o.git_dir = ".";                           // GIT_DIR (hooks run inside it)
//   o.quarantine_dir = getenv("GIT_QUARANTINE_PATH");
//   std::unique_ptr<Repository> repo;
//   Status s = Repository::Open(o, &repo);
//
// A gateway that holds only a pushed pack opens that pack's objects directory
// with OpenObjectsOnly: no refs, and objects that are absent "exist upstream"
// (see MissingObjects in new_objects.h).
//
// libgit2 objects are not thread-safe: a Repository is used by one thread at a
// time; Reopen gives another thread its own handle onto the same objects.
#pragma once

#include <git2/odb.h>
#include <git2/repository.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/status.h"

namespace akgate {

struct RepositoryOptions {
  std::string git_dir;         // the bare repository (or a .git directory)
  std::string quarantine_dir;  // may be empty; git's C-quoting is undone
  // libgit2 re-hashes every object it reads unless told not to. Objects in a
  // push were hashed by git's index-pack (or unpack-objects) on arrival, so
  // the hook reads them without re-hashing by default: about half the CPU.
  bool verify_object_hashes = false;
  // Read the pushed pack with akgate's pack reader (pack_reader.h) ahead of
  // libgit2's: same objects, far fewer delta re-inflations on long histories.
  bool fast_pack_reader = true;
  // The pack reader's cache of materialised objects, per handle (one per
  // inspection thread). 64 MiB serves a 60,000-commit push; a gateway, which
  // inspects several pushes at once, passes less.
  size_t object_cache_bytes = size_t{64} << 20;
  // Also read the repository's alternates (objects/info/alternates, as git
  // follows them: nested, relative to the objects directory) with the pack
  // reader, and list them in object_dirs(). The history scan reads whole
  // repositories, and a GitLab fork's objects sit in its pool repository,
  // a `clone --shared` in its source; libgit2's reader is several times
  // slower on a long history. The hook reads the pushed objects only.
  bool read_alternates = false;
};

class Repository {
 public:
  // Opens `git_dir` bare and adds the quarantine (when given) as an
  // alternate. Errors name the path and libgit2's reason.
  static Status Open(const RepositoryOptions& options, std::unique_ptr<Repository>* out);

  // A repository made of one objects directory only (loose objects and/or
  // pack/ inside), with no refs: what a gateway has after indexing a pack.
  // `options.git_dir` and `options.quarantine_dir` are not used.
  static Status OpenObjectsOnly(const std::string& objects_dir, const RepositoryOptions& options,
                                std::unique_ptr<Repository>* out);

  ~Repository();
  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;

  // Another handle onto the same objects, for another thread.
  Status Reopen(std::unique_ptr<Repository>* out) const;

  git_repository* repo() const { return repo_; }
  git_odb* odb() const { return odb_; }  // owned by this Repository

  // Directories whose pack/*.idx may hold the pushed objects, most likely
  // first (the quarantine, then the objects directory). Used to read blobs in
  // pack order.
  const std::vector<std::string>& object_dirs() const { return object_dirs_; }
  const std::string& path() const { return path_; }  // for messages and audit
  bool objects_only() const { return objects_only_; }

  // receive.advertisePushOptions from the repository's configuration (git's
  // default: false). Without it `git push -o` fails on the client, so the
  // report does not suggest push options. True when it cannot be read.
  bool AcceptsPushOptions() const;

 private:
  Repository() = default;
  git_repository* repo_ = nullptr;
  git_odb* odb_ = nullptr;
  std::string path_;
  std::vector<std::string> object_dirs_;
  std::string quarantine_dir_;
  bool objects_only_ = false;
  RepositoryOptions options_;  // as opened, for Reopen
};

// libgit2's global state, initialised once per process. `verify_hashes`
// sets GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION (process-wide in libgit2).
void InitLibgit2(bool verify_hashes);

}  // namespace akgate
