// `akgate install` and `akgate uninstall`: put the pre-receive hook where a
// git server runs it, or take it out again (hook_installer.h does the work;
// install/README.md shows the commands for each kind of server).
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace akgate {

struct InstallTarget;

// Registers both subcommands on `app`; Run() runs whichever was chosen.
class InstallCommands {
 public:
  explicit InstallCommands(CLI::App* app);
  bool selected() const;
  int Run();

 private:
  struct Args {
    std::string repo, all_under, kind = "repository", hooks_path, gitconfig, gitlab, gitlab_global, gitea, gitolite,
                                 akgate, policy, cache_dir, user;
    bool global = false, force = false;
    bool client = false;      // --client: the developer's hooks (installer/client_hooks.h)
    std::string client_repo;  // its optional REPO
  };
  int RunClient(const Args& args, bool install);
  void AddTargets(CLI::App* cmd, Args* args, bool install);
  int Run(const Args& args, bool install);
  // After an install: the audit log each target's hook writes, ready for the
  // account it runs as (audit_log_setup.h), or what root must run.
  void PrepareAuditLogs(const Args& args, const std::vector<InstallTarget>& installed);
  // fingerprint.key next to the policy (engine/fingerprint.h): created when
  // missing, for the account the hook runs as.
  void PrepareFingerprintKey(const Args& args, const std::vector<InstallTarget>& installed);

  CLI::App* install_ = nullptr;
  CLI::App* uninstall_ = nullptr;
  Args install_args_, uninstall_args_;
};

}  // namespace akgate
