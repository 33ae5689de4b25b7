// The audit log made ready for the hook by `akgate install`.
//
// The hook runs as the account git runs as (the owner of the repositories,
// the ssh account, the web server's account for smart HTTP), which on a
// normal install cannot create /var/log/akgate/audit.log: every push would
// then say "this decision was not recorded". Install, usually run as root,
// creates what is missing and gives it to that account:
//
//   HookAccount account;
//   Status s = FindHookAccount("", "/srv/git/app.git", &account);  // its owner
//   std::string log;
//   s = AuditLogOfPolicy("/etc/akgate/policy.toml", "/srv/git/app.git", &log);
//   AuditLogSetup done = PrepareAuditLog(log, account);
//   // done.lines: what was done, or done.commands: what root must run
//
// Nothing that exists is taken from another account: a log that account
// cannot write is reported with the commands to run, since it may be shared.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "engine/status.h"

namespace akgate {

struct HookAccount {
  std::string name;  // user name (or the uid, when it has none)
  uid_t uid = 0;
  gid_t gid = 0;    // primary group
  std::string why;  // how it was chosen: "--user", "the owner of PATH"
};

// `user` (a name or a numeric uid) when given, else the owner of
// `owned_path` (a repository, gitolite's LOCAL_CODE). Error when the user
// does not exist or the path cannot be read.
Status FindHookAccount(const std::string& user, const std::string& owned_path, HookAccount* out);

// The audit log the hook will write, as the hook reads its policy: the
// server-wide `policy_file` (empty: /etc/akgate/policy.toml when present),
// then `git_dir`/akgate.toml when `git_dir` is given. "" when the policy
// turns the log off. Error (naming file and line) when the policy does not
// load: the hook would then refuse every push.
Status AuditLogOfPolicy(const std::string& policy_file, const std::string& git_dir, std::string* log);

struct AuditLogSetup {
  std::vector<std::string> lines;     // what was found or done, one sentence each
  std::vector<std::string> commands;  // shell commands root must still run; empty: ready
};

// Makes `log` appendable by `account`: its missing directories are created
// (the last one owned by the account, mode 0750) and the file (owned by the
// account, mode 0640). Done directly as root, or as the account itself;
// otherwise, and for an existing file the account cannot write, the
// commands are returned instead.
AuditLogSetup PrepareAuditLog(const std::string& log, const HookAccount& account);

}  // namespace akgate
