// The developer's hooks (`akgate install --client`, docs/developer.md):
// pre-commit runs `akgate scan --staged`, pre-push runs `akgate scan
// --pre-push REMOTE` with git's lines on stdin, so a secret is stopped
// before it is committed, or at the latest before it leaves the machine.
//
//   ClientHooks h;
//   h.hooks_dir = "<clone>/.git/hooks";            // or a core.hooksPath directory (--global)
//   h.akgate = "/usr/local/bin/akgate";
//   std::vector<std::string> done;
//   Status s = InstallClientHooks(h, &done);      // one line per hook: what was done
//   s = UninstallClientHooks(h, &done);           // puts back what was there
//
// Each hook is a small /bin/sh script. It runs the akgate binary it was
// installed with, else the first `akgate` on PATH; when there is none it
// refuses the commit or push and says how to install akgate, skip the
// check once (--no-verify) or remove the hook: a check that silently does
// not run would be worse than none.
//
// An existing hook is kept as `<name>.akgate-chained` and run after akgate
// accepts, with the same arguments and stdin. A hook installed into a
// global core.hooksPath (`--global`) also runs the repository's own
// .git/hooks/<name>, which core.hooksPath would otherwise hide. Installing
// again rewrites akgate's scripts and keeps what they chain; uninstalling
// restores the chained hooks.
#pragma once

#include <string>
#include <vector>

#include "engine/status.h"

namespace akgate {

struct ClientHooks {
  std::string hooks_dir;
  std::string akgate;   // absolute path of the binary the hooks prefer
  bool global = false;  // hooks_dir is a core.hooksPath shared by every repository
};

// The hooks git runs before a commit and before a push.
inline constexpr const char* kClientHookNames[] = {"pre-commit", "pre-push"};

// The script for `name` ("pre-commit" or "pre-push").
std::string ClientHookScript(const std::string& name, const ClientHooks& hooks);
// The script's marker line is in `file`: the hook is akgate's.
bool IsAkgateClientHook(const std::string& file);

// The hooks directory of the clone at `path` (worktrees share it). An error
// when core.hooksPath is set: git runs the hooks there, not in the clone
// (Husky sets it; docs/developer.md says how to call akgate from there).
Status ClientHooksDirOfClone(const std::string& path, std::string* hooks_dir);
// --global: core.hooksPath of the user's gitconfig (`gitconfig`, default
// ~/.gitconfig) when set, else ~/.config/akgate/hooks, which install sets
// as core.hooksPath (said in *done).
Status ClientHooksDirGlobal(const std::string& gitconfig, bool install, std::string* hooks_dir,
                            std::vector<std::string>* done);
// After a global uninstall: core.hooksPath unset when it is akgate's own
// directory and no hook is left in it.
Status ForgetGlobalClientHooksDir(const std::string& gitconfig, const std::string& hooks_dir,
                                  std::vector<std::string>* done);

Status InstallClientHooks(const ClientHooks& hooks, std::vector<std::string>* done);
Status UninstallClientHooks(const ClientHooks& hooks, std::vector<std::string>* done);

}  // namespace akgate
