// `akgate doctor`'s checks of one repository's hook and git settings.
#include "doctor/repository_checks.h"

#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "doctor/account.h"
#include "installer/git_config_file.h"
#include "policy/policy.h"

namespace akgate::doctor {

namespace fs = std::filesystem;

namespace {

// CheckHook's answer for an akgate hook without --policy (the default file).
constexpr const char* kDefaultPolicyMarker = "\n";

bool IsDir(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool ReadText(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *text = s.str();
  return true;
}

// The gitconfig files git reads for a repository owned by `owner`, most
// specific first: the repository's, the owner's ~/.gitconfig, the system's.
std::vector<std::string> ConfigFiles(const std::string& git_dir, const Account& owner) {
  std::vector<std::string> files = {git_dir + "/config"};
  // git reads $HOME/.gitconfig: the caller's own when it owns the repository.
  const char* home = owner.uid == geteuid() ? std::getenv("HOME") : nullptr;
  if (home && *home)
    files.push_back(std::string(home) + "/.gitconfig");
  else if (struct passwd* pw = getpwuid(owner.uid); pw && pw->pw_dir)
    files.push_back(std::string(pw->pw_dir) + "/.gitconfig");
  if (!std::getenv("GIT_CONFIG_NOSYSTEM")) files.push_back(SystemGitConfigPath());
  return files;
}

// The value git would use, and the file it comes from.
std::optional<std::string> Effective(const std::vector<std::string>& files, const std::string& key, std::string* from) {
  for (const std::string& f : files) {
    std::optional<std::string> v;
    if (!GitConfigFile(f).Get(key, &v).ok() || !v) continue;
    if (from) *from = f;
    return v;
  }
  return std::nullopt;
}

bool IsTrue(const std::optional<std::string>& v) {
  if (!v) return false;
  std::string s;
  for (char c : *v) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s == "true" || s == "yes" || s == "on" || s == "1" || s.empty();
}

void CheckHook(const HookPlace& place, const RepositoryOptions& o, const Account& owner, Group* g,
               std::string* policy) {
  struct stat st;
  const std::string& hook = place.hook_file;
  if (lstat(hook.c_str(), &st) != 0) {
    g->Add("hook.present", Severity::kRisk,
           "no akgate hook at " + hook + " (" + place.how + "): pushes are not checked", place.install);
    return;
  }
  if (!IsAkgateWrapper(hook)) {
    g->Add("hook.present", Severity::kRisk, hook + " is not akgate's hook: pushes are not checked by akgate",
           place.install + "   # keeps the present hook, chained after akgate");
    return;
  }
  g->Add("hook.present", Severity::kOk, "akgate's hook is at " + hook + " (" + place.how + ")");
  *policy = kDefaultPolicyMarker;

  InstalledWrapper w;
  if (Status s = ReadInstalledWrapper(hook, o.akgate, &w); !s.ok()) {
    g->Add("hook.current", Severity::kError, s.message(), place.install);
    return;
  }
  *policy = w.policy.empty() ? kDefaultPolicyMarker : w.policy;
  const std::string reinstall = place.install + (w.policy.empty() ? "" : " --policy " + ShellQuote(w.policy));
  if (!MayAccess(owner, w.akgate, kExec)) {
    g->Add("hook.akgate", Severity::kError,
           "the hook runs " + w.akgate + ", which " + owner.name + " cannot run: every push is refused", reinstall);
  } else if (w.akgate != o.akgate) {
    g->Add("hook.current", Severity::kWarn, "the hook runs " + w.akgate + ", not this akgate (" + o.akgate + ")",
           reinstall);
  } else if (w.text != w.expected) {
    g->Add("hook.current", Severity::kWarn,
           "the hook was written by another version of akgate install (its text differs from what this one writes)",
           reinstall);
  } else {
    g->Add("hook.current", Severity::kOk, "the hook runs this akgate (" + o.akgate + "), as this version writes it");
  }
  if (!MayAccess(owner, hook, kRead | kExec)) {
    g->Add("hook.executable", Severity::kRisk,
           owner.name + " (the repository's owner, who git runs the hook as) cannot run " + hook +
               ": git skips it and accepts every push",
           "chmod 0755 " + ShellQuote(hook) + " && chown " + ShellQuote(OwnerSpec(owner)) + " " + ShellQuote(hook));
  } else {
    g->Add("hook.executable", Severity::kOk, owner.name + " can run the hook");
  }
}

void CheckPushOptions(const std::string& git_dir, const HookPlace& place, const std::vector<std::string>& files,
                      Group* g) {
  if (place.kind == HookKind::kGitLab || place.kind == HookKind::kGitLabGlobal) {
    g->Add("git.push-options", Severity::kOk, "GitLab advertises push options itself");
    return;
  }
  std::string from;
  std::optional<std::string> v = Effective(files, "receive.advertisePushOptions", &from);
  if (IsTrue(v)) {
    g->Add("git.push-options", Severity::kOk, "receive.advertisePushOptions = true (" + from + ")");
    return;
  }
  std::string fix = place.kind == HookKind::kGitolite
                        ? "config receive.advertisePushOptions = true   # in gitolite.conf (and receive\\..* in "
                          "GIT_CONFIG_KEYS of ~/.gitolite.rc)"
                        : "git config --file " + ShellQuote(git_dir + "/config") + " receive.advertisePushOptions true";
  g->Add("git.push-options", Severity::kWarn,
         std::string("receive.advertisePushOptions is ") + (v ? "'" + *v + "' in " + from : "not set") +
             ": -o akgate.bypass / akgate.allow / akgate.lang cannot be used",
         fix);
}

void CheckFsck(const std::vector<std::string>& files, Group* g) {
  std::string from;
  std::optional<std::string> receive = Effective(files, "receive.fsckObjects", &from);
  std::optional<std::string> transfer = receive ? std::nullopt : Effective(files, "transfer.fsckObjects", &from);
  if (IsTrue(receive) || (!receive && IsTrue(transfer))) {
    g->Add("git.fsck", Severity::kOk,
           std::string(receive ? "receive" : "transfer") + ".fsckObjects = true (" + from +
               "): malformed incoming objects are refused");
    return;
  }
  g->Add("git.fsck", Severity::kInfo,
         "incoming objects are not fsck'ed (receive.fsckObjects / transfer.fsckObjects unset or false); akgate still "
         "reads every new object, and git quarantines a push until the hook accepts it",
         "git config --system transfer.fsckObjects true");
}

}  // namespace

HookPlace FindHookPlace(const std::string& git_dir, const RepositoryOptions& o) {
  HookPlace p;
  Account owner;
  OwnerOf(git_dir, &owner);
  const std::string q = ShellQuote(git_dir);
  std::string from;
  if (std::optional<std::string> hp = Effective(ConfigFiles(git_dir, owner), "core.hooksPath", &from)) {
    std::string dir = fs::path(*hp).is_absolute() ? *hp : (fs::path(git_dir) / *hp).string();
    p.kind = HookKind::kHooksPath;
    p.hook_file = dir + "/pre-receive";
    p.how = "core.hooksPath in " + from;
    p.install = "akgate install --hooks-path " + ShellQuote(dir) +
                (from == SystemGitConfigPath() ? "" : " --gitconfig " + ShellQuote(from));
    return p;
  }
  std::string dispatcher;
  if (IsDir(git_dir + "/hooks/pre-receive.d") && ReadText(git_dir + "/hooks/pre-receive", &dispatcher) &&
      dispatcher.find("GITEA") != std::string::npos) {
    p.kind = HookKind::kGitea;
    p.hook_file = git_dir + "/hooks/pre-receive.d/akgate";
    p.how = "Gitea runs hooks/pre-receive.d";
    p.install = "akgate install --gitea " + q;
    return p;
  }
  if (git_dir.find("/@hashed/") != std::string::npos || IsDir(git_dir + "/custom_hooks")) {
    p.kind = HookKind::kGitLab;
    p.hook_file = git_dir + "/custom_hooks/pre-receive.d/akgate";
    p.how = "GitLab runs custom_hooks/pre-receive.d";
    p.install = "akgate install --gitlab " + q;
    if (!o.gitlab_global.empty() && access(p.hook_file.c_str(), F_OK) != 0) {
      p.kind = HookKind::kGitLabGlobal;
      p.hook_file = o.gitlab_global + "/pre-receive.d/akgate";
      p.how = "Gitaly's custom_hooks_dir";
      p.install = "akgate install --gitlab-global " + ShellQuote(o.gitlab_global);
    }
    return p;
  }
  struct stat st;
  const std::string hook = git_dir + "/hooks/pre-receive";
  if (lstat(hook.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    std::error_code ec;
    fs::path target = fs::read_symlink(hook, ec);
    if (!ec && target.is_relative()) target = fs::path(git_dir) / "hooks" / target;
    std::string t = target.lexically_normal().string();
    const std::string common = "/hooks/common/pre-receive";
    if (t.size() > common.size() && t.compare(t.size() - common.size(), common.size(), common) == 0) {
      p.kind = HookKind::kGitolite;
      p.hook_file = t;
      p.how = "gitolite links hooks/common from LOCAL_CODE";
      p.install = "akgate install --gitolite " + ShellQuote(t.substr(0, t.size() - common.size())) +
                  " && gitolite setup --hooks-only";
      return p;
    }
  }
  // gitolite links its own update hook into every repository it manages: one
  // with no pre-receive link has not been given LOCAL_CODE's hooks (yet).
  const std::string update = git_dir + "/hooks/update";
  const std::string common_update = "/hooks/common/update";
  std::error_code ec;
  std::string update_target = fs::read_symlink(update, ec).string();
  if (lstat(hook.c_str(), &st) != 0 && !ec && update_target.size() > common_update.size() &&
      update_target.compare(update_target.size() - common_update.size(), common_update.size(), common_update) == 0) {
    p.kind = HookKind::kGitolite;
    p.hook_file = hook;
    p.how = "a gitolite repository: hooks/update links " + update_target;
    p.install =
        "akgate install --gitolite LOCAL_CODE && gitolite setup --hooks-only   # LOCAL_CODE as in ~/.gitolite.rc";
    return p;
  }
  p.kind = HookKind::kRepository;
  p.hook_file = hook;
  p.how = "hooks/pre-receive";
  p.install = "akgate install --repo " + q;
  return p;
}

void CheckRepository(const std::string& git_dir, const RepositoryOptions& o, Group* g, std::string* policy) {
  *policy = o.policy;
  Account owner;
  if (!OwnerOf(git_dir, &owner)) {
    g->Add("repository.read", Severity::kError, "cannot read " + git_dir);
    return;
  }
  HookPlace place = FindHookPlace(git_dir, o);
  std::string hook_policy;
  CheckHook(place, o, owner, g, &hook_policy);
  if (policy->empty()) *policy = hook_policy == kDefaultPolicyMarker ? PolicyFiles().server : hook_policy;
  std::vector<std::string> files = ConfigFiles(git_dir, owner);
  CheckPushOptions(git_dir, place, files, g);
  CheckFsck(files, g);
}

long ParseGitVersion(const std::string& text) {
  const std::string prefix = "git version ";
  if (text.compare(0, prefix.size(), prefix) != 0) return 0;
  const char* p = text.data() + prefix.size();
  const char* end = text.data() + text.size();
  long parts[3] = {0, 0, 0};
  int n = 0;
  for (; n < 3; ++n) {
    unsigned v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || v > 999) break;
    parts[n] = v;
    p = next;
    if (p == end || *p != '.') {
      ++n;
      break;
    }
    ++p;
  }
  if (n < 2) return 0;
  return parts[0] * 1000000 + parts[1] * 1000 + parts[2];
}

void CheckGitVersion(Group* g) {
  std::string out;
  if (FILE* f = popen("git --version 2>/dev/null", "r")) {
    char buf[256];
    while (std::fgets(buf, sizeof buf, f)) out += buf;
    pclose(f);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  long v = ParseGitVersion(out);
  if (v == 0) {
    g->Add("git.version", Severity::kError, "cannot run git --version: git is not on the PATH", "apt-get install git");
    return;
  }
  // 2.11: pushes are quarantined until pre-receive accepts them; 2.10: push options.
  if (v < 2011000) {
    g->Add("git.version", Severity::kRisk,
           out + ": older than 2.11, so a refused push's objects are not quarantined (they stay in the repository)",
           "upgrade git to 2.11 or later");
    return;
  }
  g->Add("git.version", Severity::kOk, out + " (quarantines a push until pre-receive accepts it; push options)");
}

}  // namespace akgate::doctor
