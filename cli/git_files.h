// Which files of a directory git would consider: inside a work tree, what
// `git ls-files -co --exclude-standard` lists (tracked files, and untracked
// ones that no .gitignore, .git/info/exclude or core.excludesFile ignores),
// so `akgate scan DIR` reads what could be committed, not a git-ignored .env.
//
// git itself answers rather than libgit2's index and status APIs: the list
// is then git's by definition (sparse checkouts, core.excludesFile, negated
// patterns under ignored directories), and it is cheaper: measured on
// 2026-12-03, `git ls-files` took a third of the CPU of the libgit2 way
// (the index's paths plus git_status_list_new with untracked recursion),
// 16.5 ms against 43 ms on akgate's 927 files, 132 ms against 397 ms on
// 28,702 files (docs/benchmarks.md, "Commit check").
#pragma once

#include <string>
#include <vector>

namespace akgate {

enum class GitListing {
  kListed,       // *files holds the paths, relative to dir
  kNotWorkTree,  // dir is not inside a git work tree (or git is not installed)
  kFailed,       // git failed; *error says why
};

GitListing ListGitFiles(const std::string& dir, std::vector<std::string>* files, std::string* error);

}  // namespace akgate
