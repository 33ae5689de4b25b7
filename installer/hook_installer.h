// Installing `akgate pre-receive` where a git server will run it, and taking
// it out again (`akgate install` / `akgate uninstall`, install/README.md).
//
//   InstallTarget t{HookKind::kRepository, "/srv/git/app.git"};
//   InstallOptions o; o.akgate = "/usr/local/bin/akgate";
//   InstallResult r;
//   Status s = InstallHook(t, o, &r);     // r.summary says what was done
//   ...
//   s = UninstallHook(t, o, &r);          // puts back exactly what was there
//
// What is written is a small /bin/sh wrapper that execs the absolute path of
// the akgate binary with `pre-receive`, stdin passed through:
//
//   kRepository   <repo>/hooks/pre-receive
//   kHooksPath    <dir>/pre-receive, and core.hooksPath = <dir> in a gitconfig
//   kGitLab       <repo>/custom_hooks/pre-receive.d/akgate
//   kGitLabGlobal <gitaly custom_hooks_dir>/pre-receive.d/akgate
//   kGitea        <repo>/hooks/pre-receive.d/akgate
//   kGitolite     <LOCAL_CODE>/hooks/common/pre-receive (gitolite links it into
//                 every repository on `gitolite setup --hooks-only`)
//
// An existing pre-receive hook is never overwritten: it is kept as
// `pre-receive.akgate-chained` beside the wrapper, which runs it with the same
// stdin after akgate accepts the push. akgate runs first so that a push with a
// secret is refused before the other hook acts on it (a hook that mirrors,
// notifies or starts CI would otherwise see the secret); akgate changes
// nothing, so running it first never leaves another hook's work half done.
// The drop-in directories (pre-receive.d) need no chaining: the forge runs
// every hook in them.
//
// The wrapper records, on one `# akgate-install: {json}` line, everything
// install changed (chained hook, previous config values, directories it
// created), so uninstall restores exactly that. Installing twice updates the
// wrapper and keeps the first record: akgate is never chained to itself.
//
// Install also sets receive.advertisePushOptions = true (for `git push -o
// akgate.bypass=...`) in the repository's config, or in the gitconfig for
// kHooksPath; GitLab advertises push options itself and gitolite sets config
// through gitolite.conf, so neither is touched there.
#pragma once

#include <string>
#include <vector>

#include "engine/status.h"

namespace akgate {

enum class HookKind { kRepository, kHooksPath, kGitLab, kGitLabGlobal, kGitea, kGitolite };

// "repository", "hooks-path", "gitlab", "gitlab-global", "gitea", "gitolite".
const char* HookKindName(HookKind kind);

struct InstallTarget {
  HookKind kind = HookKind::kRepository;
  // kRepository, kGitLab, kGitea: the repository (bare, or a working copy's
  // .git, or a working copy). kHooksPath: the hooks directory. kGitLabGlobal:
  // Gitaly's custom_hooks_dir. kGitolite: gitolite's LOCAL_CODE directory.
  std::string path;
  // kHooksPath: the gitconfig that gets core.hooksPath (empty: the system
  // one, $GIT_CONFIG_SYSTEM or /etc/gitconfig).
  std::string gitconfig;
};

struct InstallOptions {
  std::string akgate;  // absolute path of the binary the wrapper execs
  std::string policy;  // passed as `pre-receive --policy FILE` when set
  // Where the hook keeps compiled rules between pushes (AKGATE_CACHE_DIR,
  // unless the environment sets it); empty: the engine's default, under the
  // home of the user running git, which web servers often do not set.
  std::string cache_dir;
  bool force = false;  // install into a repository that looks forge-managed
};

struct InstallResult {
  std::string hook_file;           // the wrapper written or removed
  std::string summary;             // one line: what was done
  std::vector<std::string> notes;  // what the administrator should know
  bool changed = false;            // false: nothing to do
};

Status InstallHook(const InstallTarget& target, const InstallOptions& options, InstallResult* result);
Status UninstallHook(const InstallTarget& target, const InstallOptions& options, InstallResult* result);

// --- pieces, exposed for the command and the tests ---------------------------

// True when `dir` is a git directory (HEAD, objects/ and refs/ in it).
bool IsGitDirectory(const std::string& dir);

// The git directory for a repository path: the path itself when it is one,
// else its .git directory. Error when neither.
Status ResolveGitDirectory(const std::string& path, std::string* git_dir);

// Every git directory under `root` (not descending into one, not following
// symbolic links), sorted. Unreadable directories are listed in `problems`.
std::vector<std::string> FindGitDirectories(const std::string& root, std::vector<std::string>* problems);

// The wrapper's marker line is present: the file is akgate's.
bool IsAkgateWrapper(const std::string& file);

// What an installed wrapper says, and the wrapper this version of install
// would write in its place with `akgate` as the binary (same record, same
// --policy and cache directory), for `akgate doctor`: a hook whose text
// differs was written by another version or for another binary.
struct InstalledWrapper {
  std::string akgate;     // the binary it execs
  std::string policy;     // its --policy ("" none)
  std::string cache_dir;  // its AKGATE_CACHE_DIR default ("" none)
  std::string text;       // as it is
  std::string expected;   // as install would write it now
};
Status ReadInstalledWrapper(const std::string& hook_file, const std::string& akgate, InstalledWrapper* out);

// The absolute path of the running program (/proc/self/exe).
std::string CurrentExecutable();

// `text` as one single-quoted /bin/sh word.
std::string ShellQuote(const std::string& text);

}  // namespace akgate
