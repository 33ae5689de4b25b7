// `akgate install` / `akgate uninstall`: which targets, then one line per
// target with what was done, and what the administrator should know.
#include "cli/install_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <set>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "engine/fingerprint.h"
#include "installer/audit_log_setup.h"
#include "installer/client_hooks.h"
#include "installer/hook_installer.h"
#include "policy/policy.h"

namespace akgate {

namespace {

constexpr const char* kGlobalHooksDir = "/etc/akgate/hooks";

// What to do next, beyond files: said once after a successful install.
std::vector<std::string> NextSteps(HookKind kind, const std::string& path) {
  switch (kind) {
    case HookKind::kGitolite:
      return {"gitolite links hooks/common into every repository: make sure ~/.gitolite.rc has",
              "  LOCAL_CODE => \"" + path + "\",",
              "then, as the gitolite user, run: gitolite setup --hooks-only",
              "for `git push -o akgate.bypass=...`, let gitolite set receive.advertisePushOptions",
              "(GIT_CONFIG_KEYS in ~/.gitolite.rc, `config receive.advertisePushOptions = true` in",
              "gitolite.conf); see install/README.md"};
    case HookKind::kGitLabGlobal:
      return {"GitLab runs it for every repository when Gitaly's custom_hooks_dir is " + path,
              "(gitaly['configuration'] = { hooks: { custom_hooks_dir: '" + path + "' } } in",
              "/etc/gitlab/gitlab.rb, then gitlab-ctl reconfigure)"};
    case HookKind::kGitLab:
      return {"GitLab 15.11 and later also accept repository hooks through `gitaly hooks set`;",
              "see install/README.md"};
    default:
      return {};
  }
}

}  // namespace

InstallCommands::InstallCommands(CLI::App* app) {
  install_ = app->add_subcommand(
      "install", "Install the pre-receive hook into repositories or a git server (--client: a developer's hooks)");
  uninstall_ = app->add_subcommand("uninstall", "Remove the hooks install put there and restore what was there");
  AddTargets(install_, &install_args_, true);
  AddTargets(uninstall_, &uninstall_args_, false);
  install_->footer(
      "An existing pre-receive hook is kept and runs after akgate accepts the push.\n"
      "--client [REPO]: the developer's pre-commit and pre-push hooks in a clone (--global: in a core.hooksPath\n"
      "for every repository); docs/developer.md.\n"
      "Exit code: 0 done, 2 error. Commands for each server: install/README.md\n");
}

void InstallCommands::AddTargets(CLI::App* cmd, Args* a, bool install) {
  cmd->add_flag("--client", a->client,
                std::string("The developer's pre-commit and pre-push hooks (not pre-receive): into the clone REPO ") +
                    "(default: the current one), or with --global into a core.hooksPath for every repository");
  cmd->add_option("client_repo", a->client_repo, "With --client: the clone (default: the current directory)");
  auto* group = cmd->add_option_group("target", "Where (exactly one)");
  group->add_option("--repo", a->repo, "One repository (bare, or a working copy)");
  group->add_option("--all-under", a->all_under, "Every repository under this directory (recursively)");
  group->add_flag("--global", a->global,
                  std::string("Server-wide: core.hooksPath = ") + kGlobalHooksDir + " in the system gitconfig");
  group->add_option("--hooks-path", a->hooks_path, "Server-wide: core.hooksPath = this directory");
  group->add_option("--gitlab", a->gitlab, "A GitLab repository: custom_hooks/pre-receive.d/akgate");
  group->add_option("--gitlab-global", a->gitlab_global,
                    "GitLab, every repository: DIR/pre-receive.d/akgate (DIR: Gitaly's custom_hooks_dir)");
  group->add_option("--gitea", a->gitea, "A Gitea repository: hooks/pre-receive.d/akgate");
  group->add_option("--gitolite", a->gitolite, "gitolite: LOCAL_CODE/hooks/common/pre-receive");
  group->require_option(0, 1);
  cmd->add_option("--kind", a->kind, "With --all-under: repository, gitlab or gitea (default: repository)")
      ->check(CLI::IsMember({"repository", "gitlab", "gitea"}));
  cmd->add_option("--gitconfig", a->gitconfig, "With --global/--hooks-path: this gitconfig instead of the system one");
  if (install) {
    cmd->add_option("--akgate", a->akgate, "The akgate binary the hook runs (default: this one)");
    cmd->add_option("--policy", a->policy, "Server-wide policy file the hook passes to pre-receive");
    cmd->add_option("--user", a->user,
                    "The account git runs the hook as, which gets the audit log (default: the repository's owner)");
    cmd->add_option("--cache-dir", a->cache_dir,
                    "Where the hook keeps compiled rules between pushes (default: ~/.cache/akgate of the git user)");
    cmd->add_flag("--force", a->force,
                  "Install even where the hook may not run (core.hooksPath set, forge-managed repository)");
  }
}

bool InstallCommands::selected() const { return install_->parsed() || uninstall_->parsed(); }

int InstallCommands::Run() { return install_->parsed() ? Run(install_args_, true) : Run(uninstall_args_, false); }

int InstallCommands::Run(const Args& a, bool install) {
  const char* verb = install ? "install" : "uninstall";
  if (a.client) return RunClient(a, install);
  if (!a.client_repo.empty()) {
    std::cerr << "akgate " << verb << ": " << a.client_repo << ": a repository is named with --repo (or --client)\n";
    return kExitError;
  }
  if (a.repo.empty() && a.all_under.empty() && !a.global && a.hooks_path.empty() && a.gitlab.empty() &&
      a.gitlab_global.empty() && a.gitea.empty() && a.gitolite.empty()) {
    std::cerr << "akgate " << verb << ": give one target (--repo, --all-under, --global, --hooks-path, --gitlab, "
              << "--gitlab-global, --gitea, --gitolite), or --client for a developer's clone\n";
    return kExitError;
  }
  InstallOptions options;
  options.force = a.force;
  options.policy = a.policy;
  options.cache_dir = a.cache_dir;
  if (install) {
    options.akgate = a.akgate.empty() ? CurrentExecutable() : a.akgate;
    if (options.akgate.empty()) {
      std::cerr << "akgate install: cannot tell where this program is; give --akgate PATH\n";
      return kExitError;
    }
    if (options.akgate[0] != '/') {
      std::cerr << "akgate install: --akgate must be an absolute path\n";
      return kExitError;
    }
  }

  std::vector<InstallTarget> targets;
  auto add = [&](HookKind kind, const std::string& path) { targets.push_back({kind, path, a.gitconfig}); };
  if (!a.repo.empty()) add(HookKind::kRepository, a.repo);
  if (a.global) add(HookKind::kHooksPath, kGlobalHooksDir);
  if (!a.hooks_path.empty()) add(HookKind::kHooksPath, a.hooks_path);
  if (!a.gitlab.empty()) add(HookKind::kGitLab, a.gitlab);
  if (!a.gitlab_global.empty()) add(HookKind::kGitLabGlobal, a.gitlab_global);
  if (!a.gitea.empty()) add(HookKind::kGitea, a.gitea);
  if (!a.gitolite.empty()) add(HookKind::kGitolite, a.gitolite);
  bool many = !a.all_under.empty();
  if (many) {
    std::vector<std::string> problems;
    std::vector<std::string> repos = FindGitDirectories(a.all_under, &problems);
    for (const std::string& p : problems) std::cerr << "akgate " << verb << ": warning: " << p << "\n";
    if (repos.empty()) {
      std::cerr << "akgate " << verb << ": no git repositories under " << a.all_under << "\n";
      return kExitError;
    }
    HookKind kind = a.kind == "gitlab"  ? HookKind::kGitLab
                    : a.kind == "gitea" ? HookKind::kGitea
                                        : HookKind::kRepository;
    for (const std::string& r : repos) add(kind, r);
  }

  int done = 0, unchanged = 0, failed = 0;
  std::vector<InstallTarget> installed;
  for (const InstallTarget& t : targets) {
    InstallResult r;
    Status s = install ? InstallHook(t, options, &r) : UninstallHook(t, options, &r);
    if (!s.ok()) {
      ++failed;
      std::cerr << "akgate " << verb << ": " << (many ? t.path + ": " : "") << s.message() << "\n";
      continue;
    }
    r.changed ? ++done : ++unchanged;
    installed.push_back(t);
    std::cout << r.summary << "\n";
    if (!many || r.changed)
      for (const std::string& n : r.notes) std::cout << "  - " << n << "\n";
    if (install && r.changed && !many)
      for (const std::string& n : NextSteps(t.kind, t.path)) std::cout << "  " << n << "\n";
  }
  if (many) {
    std::cout << targets.size() << " repositories under " << a.all_under << ": " << done
              << (install ? " installed or updated, " : " uninstalled, ") << unchanged << " unchanged, " << failed
              << " failed\n";
    if (install && done + unchanged > 0)
      for (const std::string& n : NextSteps(targets.front().kind, targets.front().path)) std::cout << "  " << n << "\n";
  }
  if (install) PrepareAuditLogs(a, installed);
  if (install && !installed.empty()) PrepareFingerprintKey(a, installed);
  return failed ? kExitError : 0;
}

// `--client`: the developer's hooks into a clone, or into a core.hooksPath
// for every repository (--global).
int InstallCommands::RunClient(const Args& a, bool install) {
  const char* verb = install ? "install" : "uninstall";
  if (!a.all_under.empty() || !a.hooks_path.empty() || !a.gitlab.empty() || !a.gitlab_global.empty() ||
      !a.gitea.empty() || !a.gitolite.empty() || (a.global && (!a.repo.empty() || !a.client_repo.empty()))) {
    std::cerr << "akgate " << verb << " --client: give a clone (REPO or --repo) or --global, nothing else\n";
    return kExitError;
  }
  ClientHooks hooks;
  hooks.akgate = a.akgate.empty() ? CurrentExecutable() : a.akgate;
  if (install && (hooks.akgate.empty() || hooks.akgate[0] != '/')) {
    std::cerr << "akgate install --client: give --akgate with the absolute path of akgate\n";
    return kExitError;
  }
  std::vector<std::string> done;
  Status s;
  if (a.global) {
    s = ClientHooksDirGlobal(a.gitconfig, install, &hooks.hooks_dir, &done);
    hooks.global = true;
  } else {
    s = ClientHooksDirOfClone(a.repo.empty() ? (a.client_repo.empty() ? "." : a.client_repo) : a.repo,
                              &hooks.hooks_dir);
  }
  if (s.ok()) s = install ? InstallClientHooks(hooks, &done) : UninstallClientHooks(hooks, &done);
  if (s.ok() && a.global && !install) s = ForgetGlobalClientHooksDir(a.gitconfig, hooks.hooks_dir, &done);
  for (const std::string& line : done) std::cout << line << "\n";
  if (!s.ok()) {
    std::cerr << "akgate " << verb << " --client: " << s.message() << "\n";
    return kExitError;
  }
  return kExitClean;
}

void InstallCommands::PrepareFingerprintKey(const Args& a, const std::vector<InstallTarget>& installed) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(a.policy.empty() ? PolicyFiles().server : a.policy).parent_path();
  const std::string key_file = (dir.empty() ? fs::path("fingerprint.key") : dir / "fingerprint.key").string();
  const bool existed = access(key_file.c_str(), F_OK) == 0;
  FingerprintKey key;
  Status s = FingerprintKey::LoadOrCreate(key_file, &key);
  if (!s.ok()) {
    std::cout.flush();
    std::cerr << "akgate install: warning: " << s.message() << "; the hook refuses every push until it loads\n";
    return;
  }
  // Root installs for the account git runs as, which must read it (0600).
  const InstallTarget& t = installed.front();
  std::string git_dir;
  bool repository = t.kind == HookKind::kRepository || t.kind == HookKind::kGitLab || t.kind == HookKind::kGitea;
  if (repository) ResolveGitDirectory(t.path, &git_dir).IgnoreError();  // no owner: --user or none
  HookAccount account;
  const bool for_account = geteuid() == 0 && FindHookAccount(a.user, git_dir, &account).ok() && account.uid != 0;
  if (existed) {
    // An existing key is never taken from its owner (it may be shared): said, with what to run.
    struct stat st;
    bool readable =
        !for_account || (stat(key_file.c_str(), &st) == 0 &&
                         (st.st_uid == account.uid || (st.st_gid == account.gid && (st.st_mode & S_IRGRP))));
    std::cout << "  - the fingerprint key " << key_file << " is there";
    if (!readable)
      std::cout << ", but " << account.name << " (who the hook runs as) cannot read it, so every push would be "
                << "refused; as root, run: chown " << account.name << " " << key_file;
    std::cout << "\n";
    return;
  }
  if (for_account) {
    if (chown(key_file.c_str(), account.uid, account.gid) != 0) {
      std::cout << "  - created the fingerprint key " << key_file << " (mode 0600); give it to the account git "
                << "runs as: chown " << account.name << " " << key_file << "\n";
      return;
    }
    std::cout << "  - created the fingerprint key " << key_file << " (mode 0600, owned by " << account.name << ")\n";
    return;
  }
  std::cout << "  - created the fingerprint key " << key_file << " (mode 0600)\n";
}

void InstallCommands::PrepareAuditLogs(const Args& a, const std::vector<InstallTarget>& installed) {
  std::set<std::pair<std::string, uid_t>> prepared;  // --all-under: one log, one account, said once
  std::set<std::string> said;
  auto say = [&](const std::string& line, std::ostream& out) {
    if (!said.insert(line).second) return;
    std::cout.flush();  // in order with what was printed before
    out << line << "\n";
  };
  for (const InstallTarget& t : installed) {
    bool repository = t.kind == HookKind::kRepository || t.kind == HookKind::kGitLab || t.kind == HookKind::kGitea;
    std::string git_dir;
    if (repository && !ResolveGitDirectory(t.path, &git_dir).ok()) continue;
    std::string log;
    if (Status s = AuditLogOfPolicy(a.policy, git_dir, &log); !s.ok()) {
      say("akgate install: warning: " + s.message() + "; the hook refuses every push until the policy loads",
          std::cerr);
      continue;
    }
    if (log.empty()) continue;  // [audit] log = "": turned off
    // Who the hook runs as: said with --user, else the owner of what git runs
    // it for. A server-wide hook runs for every repository: only --user tells.
    std::string owned = repository ? git_dir : t.kind == HookKind::kGitolite ? t.path : "";
    if (a.user.empty() && owned.empty()) {
      say("  - the audit log " + log + ": give --user ACCOUNT (the account git runs as) for install to " +
              "prepare it (install/README.md, \"The policy file and the audit log\")",
          std::cout);
      continue;
    }
    HookAccount account;
    if (Status s = FindHookAccount(a.user, owned, &account); !s.ok()) {
      say("akgate install: warning: " + s.message(), std::cerr);
      continue;
    }
    if (!prepared.insert({log, account.uid}).second) continue;
    AuditLogSetup setup = PrepareAuditLog(log, account);
    for (const std::string& line : setup.lines) std::cout << "  - " << line << "\n";
    for (const std::string& c : setup.commands) std::cout << "      " << c << "\n";
  }
}

}  // namespace akgate
