// `akgate doctor`: one repository on a git server, found the way
// `akgate install` puts the hook there (installer/hook_installer.h), and
// checked as git will run it: the hook is where git looks, is akgate's, runs
// this akgate and can be run by the repository's owner; push options are
// advertised; incoming objects are checked by git.
#pragma once

#include <string>

#include "doctor/check.h"
#include "installer/hook_installer.h"

namespace akgate::doctor {

// Where git runs a repository's pre-receive hook from, and why.
struct HookPlace {
  HookKind kind = HookKind::kRepository;
  std::string hook_file;  // where akgate's wrapper belongs
  std::string how;        // "core.hooksPath in /etc/gitconfig", "Gitea's hooks/pre-receive.d", ...
  std::string install;    // the `akgate install` command that puts it there
};

struct RepositoryOptions {
  std::string akgate;         // this binary: what a current hook runs
  std::string gitlab_global;  // Gitaly's custom_hooks_dir, when known
  std::string policy;         // --policy given to doctor ("" none)
};

// Reads the repository's layout: core.hooksPath (repository, the owner's
// ~/.gitconfig, the system gitconfig), Gitea (its hooks/pre-receive runs
// hooks/pre-receive.d), GitLab (@hashed/ or custom_hooks/), gitolite
// (hooks/pre-receive a link into LOCAL_CODE/hooks/common), else plain.
HookPlace FindHookPlace(const std::string& git_dir, const RepositoryOptions& o);

// The checks for `git_dir` into `g`. *policy gets the server-wide policy file
// the hook reads, for the policy checks: doctor's --policy, else the hook's
// --policy, else the default; "" when there is no akgate hook to read one.
void CheckRepository(const std::string& git_dir, const RepositoryOptions& o, Group* g, std::string* policy);

// "git version 2.39.5" -> 2039005; 0 when it does not parse.
long ParseGitVersion(const std::string& text);
// The git found on PATH, its version and whether it is new enough.
void CheckGitVersion(Group* g);

}  // namespace akgate::doctor
