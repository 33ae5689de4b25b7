// Which repositories `akgate scan --history PATH...` reads: each PATH that is
// a repository (bare, or a work tree with its .git), else every repository
// below it, as a server holds them (/srv/git/*.git, gitolite's
// repositories/, GitLab's @hashed/ab/cd/*.git, Gitea's owner/name.git).
#pragma once

#include <string>
#include <vector>

namespace akgate {

struct FoundRepository {
  std::string path;     // as shown in the report (the directory found)
  std::string git_dir;  // what to open: the bare repository or the .git directory
  // Non-empty: the directory looks like a repository (HEAD, objects/ and
  // refs/, or a .git entry) but libgit2 cannot open it; this says why. It
  // is reported as a failed repository, never skipped in silence.
  std::string error;
};

struct RepositorySearch {
  std::vector<FoundRepository> repositories;  // in path order, each once
  // "PATH: reason" for a named path that does not exist, or holds no
  // repository at or below it, and for directories that could not be read.
  std::vector<std::string> errors;
};

// A repository is not searched inside (its own objects/ and refs/ are not
// repositories); symlinks below a named path are not followed (no loops);
// at most `max_depth` directories deep. A path inside a work tree that holds
// no repository below it is its enclosing repository, as git finds it.
RepositorySearch FindRepositories(const std::vector<std::string>& paths, int max_depth = 8);

}  // namespace akgate
