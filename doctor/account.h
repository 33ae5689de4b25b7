// What the account a hook runs as may do with a file, judged from the file's
// mode, owner and group against that account's uid and groups (not against
// whoever runs `akgate doctor`, usually root, who may do anything).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace akgate::doctor {

struct Account {
  std::string name;  // user name, or the uid when it has none
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // every group it is in, the primary one included
};

// The owner of `path` (a repository): who git runs the hook as. False when
// `path` cannot be stat()ed.
bool OwnerOf(const std::string& path, Account* out);

// Access bits as in a mode's "other" triplet: 4 read, 2 write, 1 search/execute.
enum : unsigned { kRead = 4, kWrite = 2, kExec = 1 };

// Pure: may an account with `uid` and `groups` do `bits` on a file with this
// owner, group and mode? uid 0 may do anything but execute a file no one may.
bool ModePermits(uid_t uid, const std::vector<gid_t>& groups, uid_t file_uid, gid_t file_gid, mode_t mode,
                 unsigned bits);

// `bits` on `path` itself, and search on every directory above it.
bool MayAccess(const Account& a, const std::string& path, unsigned bits);

// "user:group" of the account, for chown.
std::string OwnerSpec(const Account& a);

}  // namespace akgate::doctor
