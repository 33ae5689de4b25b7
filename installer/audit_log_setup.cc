// `akgate install`: the audit log's directory and file, for the account the
// hook runs as.
#include "installer/audit_log_setup.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "installer/hook_installer.h"
#include "policy/policy.h"

namespace akgate {

namespace fs = std::filesystem;

namespace {

constexpr mode_t kDirMode = 0750;
constexpr mode_t kFileMode = 0640;

std::string Octal(mode_t m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(m));
  return buf;
}

// May `a` do `bits` (S_IROTH-style: 4 read, 2 write, 1 search) on `st`?
bool Permits(const HookAccount& a, const struct stat& st, unsigned bits) {
  if (a.uid == 0) return true;
  if (st.st_uid == a.uid) return ((st.st_mode >> 6) & bits) == bits;
  std::vector<gid_t> groups(64);
  int n = static_cast<int>(groups.size());
  struct passwd* pw = getpwuid(a.uid);
  if (pw && getgrouplist(pw->pw_name, a.gid, groups.data(), &n) < 0) {
    groups.resize(static_cast<size_t>(n));
    getgrouplist(pw->pw_name, a.gid, groups.data(), &n);
  }
  groups.resize(pw ? static_cast<size_t>(std::max(n, 0)) : 0);
  groups.push_back(a.gid);
  if (std::find(groups.begin(), groups.end(), st.st_gid) != groups.end()) return ((st.st_mode >> 3) & bits) == bits;
  return (st.st_mode & bits) == bits;
}

// Every directory from / down to `dir` can be searched by `a`.
bool CanReach(const HookAccount& a, const fs::path& dir) {
  fs::path p;
  for (const fs::path& part : dir) {
    p /= part;
    struct stat st;
    if (stat(p.c_str(), &st) != 0 || !Permits(a, st, 1)) return false;
  }
  return true;
}

std::string GroupName(const HookAccount& a) {
  struct group* gr = getgrgid(a.gid);
  return gr ? std::string(gr->gr_name) : std::to_string(a.gid);
}
// "user:group" for chown.
std::string Owner(const HookAccount& a) { return ShellQuote(a.name + ":" + GroupName(a)); }

}  // namespace

Status FindHookAccount(const std::string& user, const std::string& owned_path, HookAccount* out) {
  struct passwd* pw = nullptr;
  if (!user.empty()) {
    pw = getpwnam(user.c_str());
    if (!pw && user.size() < 10 && std::all_of(user.begin(), user.end(), ::isdigit))
      pw = getpwuid(static_cast<uid_t>(std::stoul(user)));
    if (!pw) return Status::InvalidArgument("--user " + user + ": no such user on this machine");
    *out = {pw->pw_name, pw->pw_uid, pw->pw_gid, "--user"};
    return Status::Ok();
  }
  struct stat st;
  if (stat(owned_path.c_str(), &st) != 0)
    return Status::IoError("cannot tell who the hook runs as: " + owned_path + ": " + std::strerror(errno));
  pw = getpwuid(st.st_uid);
  *out = {pw ? pw->pw_name : std::to_string(st.st_uid), st.st_uid, pw ? pw->pw_gid : st.st_gid,
          "the owner of " + owned_path};
  return Status::Ok();
}

Status AuditLogOfPolicy(const std::string& policy_file, const std::string& git_dir, std::string* log) {
  PolicyFiles files;
  if (!policy_file.empty()) {
    files.server = policy_file;
    files.server_required = true;
  }
  if (!git_dir.empty()) files.repository = (fs::path(git_dir) / "akgate.toml").string();
  Policy policy;
  if (Status s = LoadPolicy(files, &policy); !s.ok()) return s;
  *log = policy.audit_log;
  return Status::Ok();
}

AuditLogSetup PrepareAuditLog(const std::string& log, const HookAccount& account) {
  AuditLogSetup out;
  const std::string who = account.name + " (" + account.why + ", who the hook runs as)";
  const fs::path file = fs::absolute(log).lexically_normal();
  const fs::path dir = file.parent_path();
  struct stat st;

  if (lstat(file.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode)) {
      out.lines.push_back("the audit log " + file.string() + " is not a regular file; the hook cannot append to it");
      out.commands.push_back("rm -i " + ShellQuote(file.string()) + "   # then run akgate install again");
      return out;
    }
    if (CanReach(account, dir) && Permits(account, st, 2)) {
      out.lines.push_back("the audit log " + file.string() + " can be written by " + who);
      return out;
    }
    // A root-owned log no other account can write was only ever root's: it
    // can be given to this account. Anything else may be shared: say what to run.
    if (geteuid() == 0 && st.st_uid == 0 && (st.st_mode & 022) == 0 && CanReach(account, dir) &&
        chown(file.c_str(), account.uid, account.gid) == 0) {
      out.lines.push_back("the audit log " + file.string() + " was root's; now owned by " + who);
      return out;
    }
    out.lines.push_back(who + " cannot write the audit log " + file.string() + ", so every push would say " +
                        "\"this decision was not recorded\"; as root, run (or let a group " + account.name +
                        " is in write it):");
    out.commands.push_back("chown " + Owner(account) + " " + ShellQuote(file.string()));
    if (!CanReach(account, dir))
      out.commands.push_back("chmod o+x " + ShellQuote(dir.string()) + "   # and each directory above it");
    return out;
  }

  // The missing directories, outermost first.
  std::vector<fs::path> missing;
  for (fs::path d = dir; !d.empty() && lstat(d.c_str(), &st) != 0; d = d.parent_path()) {
    missing.insert(missing.begin(), d);
    if (d == d.parent_path()) break;
  }
  const bool as_root = geteuid() == 0;
  const bool as_account = geteuid() == account.uid;
  bool done = as_root || as_account;
  std::vector<std::string> made;
  for (const fs::path& d : missing) {
    if (!done) break;
    bool last = d == dir;
    if (mkdir(d.c_str(), last ? kDirMode : 0755) != 0 ||
        (as_root && last && (chown(d.c_str(), account.uid, account.gid) != 0 || chmod(d.c_str(), kDirMode) != 0))) {
      done = false;
      break;
    }
    made.push_back(d.string() + "/");
  }
  if (done && !CanReach(account, dir)) done = false;
  if (done && !as_root) {
    struct stat dst;
    done = stat(dir.c_str(), &dst) == 0 && Permits(account, dst, 3);
  }
  if (done) {
    int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode);
    done = fd >= 0 && (!as_root || fchown(fd, account.uid, account.gid) == 0) && fchmod(fd, kFileMode) == 0;
    if (fd >= 0) close(fd);
    if (!done) unlink(file.c_str());
  }
  if (done) {
    bool made_dir = !made.empty();
    out.lines.push_back("the audit log is ready for " + who + ": created " +
                        (made_dir ? dir.string() + "/ (mode " + Octal(kDirMode) + ") and " : "") + file.string() +
                        " (mode " + Octal(kFileMode) + "), owned by " + account.name);
    return out;
  }
  for (auto it = made.rbegin(); it != made.rend(); ++it) rmdir(it->c_str());
  struct stat dst;
  if (missing.empty() && CanReach(account, dir) && stat(dir.c_str(), &dst) == 0 && Permits(account, dst, 3)) {
    out.lines.push_back("the audit log " + file.string() + " will be created by the hook on the first push: " + who +
                        " can write to " + dir.string());
    return out;
  }
  out.lines.push_back(who + " cannot create the audit log " + file.string() + ", so every push would say " +
                      "\"this decision was not recorded\"; as root, run:");
  if (!missing.empty())
    out.commands.push_back("install -d -o " + ShellQuote(account.name) + " -g " + ShellQuote(GroupName(account)) +
                           " -m " + Octal(kDirMode) + " " + ShellQuote(dir.string()));
  out.commands.push_back("touch " + ShellQuote(file.string()) + " && chown " + Owner(account) + " " +
                         ShellQuote(file.string()) + " && chmod " + Octal(kFileMode) + " " + ShellQuote(file.string()));
  return out;
}

}  // namespace akgate
