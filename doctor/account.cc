// Permissions judged for another account than the one running.
#include "doctor/account.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

namespace akgate::doctor {

bool OwnerOf(const std::string& path, Account* out) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return false;
  *out = Account();
  out->uid = st.st_uid;
  struct passwd* pw = getpwuid(st.st_uid);
  out->name = pw ? pw->pw_name : std::to_string(st.st_uid);
  out->gid = pw ? pw->pw_gid : st.st_gid;
  if (pw) {
    std::vector<gid_t> groups(64);
    int n = static_cast<int>(groups.size());
    if (getgrouplist(pw->pw_name, out->gid, groups.data(), &n) < 0) {
      groups.resize(static_cast<size_t>(n));
      getgrouplist(pw->pw_name, out->gid, groups.data(), &n);
    }
    groups.resize(static_cast<size_t>(std::max(n, 0)));
    out->groups = groups;
  }
  if (std::find(out->groups.begin(), out->groups.end(), out->gid) == out->groups.end()) out->groups.push_back(out->gid);
  return true;
}

bool ModePermits(uid_t uid, const std::vector<gid_t>& groups, uid_t file_uid, gid_t file_gid, mode_t mode,
                 unsigned bits) {
  if (uid == 0) return (bits & kExec) == 0 || (mode & 0111) != 0;
  unsigned granted = 0;
  if (uid == file_uid)
    granted = (mode >> 6) & 7;
  else if (std::find(groups.begin(), groups.end(), file_gid) != groups.end())
    granted = (mode >> 3) & 7;
  else
    granted = mode & 7;
  return (granted & bits) == bits;
}

bool MayAccess(const Account& a, const std::string& path, unsigned bits) {
  namespace fs = std::filesystem;
  fs::path abs = fs::absolute(path).lexically_normal();
  fs::path p;
  for (const fs::path& part : abs.parent_path()) {
    p /= part;
    struct stat st;
    if (stat(p.c_str(), &st) != 0 || !ModePermits(a.uid, a.groups, st.st_uid, st.st_gid, st.st_mode, kExec))
      return false;
  }
  struct stat st;
  return stat(abs.c_str(), &st) == 0 && ModePermits(a.uid, a.groups, st.st_uid, st.st_gid, st.st_mode, bits);
}

std::string OwnerSpec(const Account& a) {
  struct group* gr = getgrgid(a.gid);
  return a.name + ":" + (gr ? std::string(gr->gr_name) : std::to_string(a.gid));
}

}  // namespace akgate::doctor
