// akgate install / uninstall: the wrapper, the chained hook, the config
// values, and the record that lets uninstall put everything back.
#include "installer/hook_installer.h"

#include <fcntl.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "installer/git_config_file.h"

namespace akgate {

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

constexpr const char* kMarker = "# akgate-install: ";
constexpr const char* kChainedSuffix = ".akgate-chained";
// Hooks git would run from each repository, passed through when install sets
// core.hooksPath (which hides every repository's own hooks directory).
constexpr const char* kPassThrough[] = {"update", "post-receive", "post-update"};

// --- small filesystem helpers --------------------------------------------------

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

bool Exists(const std::string& p) {
  struct stat st;
  return lstat(p.c_str(), &st) == 0;
}

bool IsDir(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool ReadFile(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *text = s.str();
  return true;
}

std::string Parent(const std::string& p) { return fs::path(p).parent_path().string(); }

std::string Join(const std::string& a, const std::string& b) { return (fs::path(a) / b).string(); }

// Absolute and normalised, without resolving symbolic links.
std::string Absolute(const std::string& p) {
  std::error_code ec;
  fs::path a = fs::absolute(p, ec);
  std::string s = (ec ? fs::path(p) : a).lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

// Paths in the record: relative to the target's root when inside it, so a
// repository can be moved between install and uninstall.
std::string Relative(const std::string& root, const std::string& p) {
  if (p == root) return ".";
  if (p.compare(0, root.size() + 1, root + "/") == 0) return p.substr(root.size() + 1);
  return p;
}
std::string Resolve(const std::string& root, const std::string& p) {
  if (!p.empty() && p[0] == '/') return p;
  return p == "." ? root : Join(root, p);
}

std::string NoPermissionHint(const std::string& dir) {
  struct stat st;
  std::string owner;
  if (stat(dir.c_str(), &st) == 0) owner = " (owned by uid " + std::to_string(st.st_uid) + ")";
  return "run as the owner of " + dir + owner + " (e.g. sudo -u git akgate ...) or as root";
}

Status CheckWritable(const std::string& dir) {
  if (access(dir.c_str(), W_OK | X_OK) == 0) return Status::Ok();
  if (errno == EACCES || errno == EPERM || errno == EROFS)
    return Status::PermissionDenied("cannot write to " + dir + ": " + std::strerror(errno) + "; " +
                                    NoPermissionHint(dir));
  return Status::IoError(Errno("cannot use " + dir));
}

// When root installs into a directory someone else owns (the git user's
// repositories), what it creates gets that owner, as if they had made it.
void TakeOwnerOf(const std::string& path, const std::string& like_dir) {
  if (geteuid() != 0) return;
  struct stat st;
  if (stat(like_dir.c_str(), &st) != 0) return;
  if (lchown(path.c_str(), st.st_uid, st.st_gid) != 0) { /* best effort */
  }
}

// mkdir -p, recording each directory it made (outermost first).
Status MakeDirs(const std::string& dir, std::vector<std::string>* created) {
  if (IsDir(dir)) return Status::Ok();
  if (Exists(dir)) return Status::InvalidArgument(dir + " exists and is not a directory");
  std::string parent = Parent(dir);
  if (parent.empty() || parent == dir) return Status::InvalidArgument("cannot create " + dir);
  if (Status s = MakeDirs(parent, created); !s.ok()) return s;
  if (Status s = CheckWritable(parent); !s.ok()) return s;
  if (mkdir(dir.c_str(), 0755) != 0) return Status::IoError(Errno("cannot create " + dir));
  TakeOwnerOf(dir, parent);
  created->push_back(dir);
  return Status::Ok();
}

// Writes `text` to `path` atomically (temporary file + rename), mode 0755.
Status WriteExecutable(const std::string& path, const std::string& text) {
  std::string dir = Parent(path);
  std::string tmp = Join(dir, "." + fs::path(path).filename().string() + ".akgate-tmp." + std::to_string(getpid()));
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
  if (fd < 0) return Status::IoError(Errno("cannot create " + tmp));
  bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = fchmod(fd, 0755) == 0 && ok;
  ok = close(fd) == 0 && ok;
  if (!ok) {
    unlink(tmp.c_str());
    return Status::IoError(Errno("cannot write " + tmp));
  }
  TakeOwnerOf(tmp, dir);
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    Status s = Status::IoError(Errno("cannot put the hook in place as " + path));
    unlink(tmp.c_str());
    return s;
  }
  return Status::Ok();
}

std::string SectionOf(const std::string& key) { return key.substr(0, key.find('.')); }

// --- where each kind puts its wrapper -------------------------------------------

struct Layout {
  std::string kind;                                           // HookKindName, for the record
  std::string root;                                           // the git directory, hooks directory or LOCAL_CODE
  std::string hook_dir;                                       // where the wrapper goes
  std::string hook_name;                                      // "pre-receive", or "akgate" in a pre-receive.d
  bool chains = false;                                        // an existing hook of that name is chained
  std::string config;                                         // gitconfig to change ("" none)
  std::vector<std::pair<std::string, std::string>> settings;  // key, value
  bool pass_through = false;                                  // kHooksPath: may add the repository hooks' pass-throughs
};

bool LooksLikeGitea(const std::string& git_dir) {
  std::string text;
  return IsDir(Join(git_dir, "hooks/pre-receive.d")) && ReadFile(Join(git_dir, "hooks/pre-receive"), &text) &&
         text.find("GITEA") != std::string::npos;
}

bool LooksLikeGitLab(const std::string& git_dir) {
  return git_dir.find("/@hashed/") != std::string::npos || IsDir(Join(git_dir, "custom_hooks"));
}

Status MakeLayout(const InstallTarget& t, const InstallOptions& o, bool installing, Layout* l) {
  if (t.path.empty()) return Status::InvalidArgument("no path given");
  std::string path = Absolute(t.path);
  l->kind = HookKindName(t.kind);
  switch (t.kind) {
    case HookKind::kRepository:
    case HookKind::kGitLab:
    case HookKind::kGitea: {
      if (Status s = ResolveGitDirectory(path, &l->root); !s.ok()) return s;
      if (t.kind == HookKind::kRepository) {
        l->hook_dir = Join(l->root, "hooks");
        l->hook_name = "pre-receive";
        l->chains = true;
        if (installing && !o.force && LooksLikeGitea(l->root))
          return Status::InvalidArgument(l->root +
                                         " is a Gitea repository (Gitea writes its hooks/pre-receive and runs "
                                         "hooks/pre-receive.d/*): use --gitea " +
                                         t.path);
        if (installing && !o.force && l->root.find("/@hashed/") != std::string::npos)
          return Status::InvalidArgument(l->root + " is a GitLab repository: use --gitlab " + t.path +
                                         " (or --force to write hooks/pre-receive anyway)");
      } else if (t.kind == HookKind::kGitea) {
        l->hook_dir = Join(l->root, "hooks/pre-receive.d");
        l->hook_name = "akgate";
        std::string dispatcher;
        if (installing && !o.force &&
            !(ReadFile(Join(l->root, "hooks/pre-receive"), &dispatcher) && dispatcher.find(".d/") != std::string::npos))
          return Status::InvalidArgument(l->root +
                                         "/hooks/pre-receive does not run hooks/pre-receive.d/* (not a Gitea "
                                         "repository?), so akgate would never run there; use --repo (or --force)");
      } else {
        l->hook_dir = Join(l->root, "custom_hooks/pre-receive.d");
        l->hook_name = "akgate";
      }
      struct stat st;
      std::string hooks = Join(l->root, "hooks");
      if (installing && !o.force && lstat(hooks.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
        std::error_code ec;
        return Status::InvalidArgument(hooks + " is a symbolic link to " + fs::read_symlink(hooks, ec).string() +
                                       ", perhaps shared with other repositories: writing there would change them too "
                                       "(--force to do it anyway)");
      }
      if (t.kind != HookKind::kGitLab) {
        l->config = Join(l->root, "config");
        l->settings = {{"receive.advertisePushOptions", "true"}};
      }
      return Status::Ok();
    }
    case HookKind::kHooksPath:
      l->root = path;
      l->hook_dir = path;
      l->hook_name = "pre-receive";
      l->chains = true;
      l->config = t.gitconfig.empty() ? SystemGitConfigPath() : Absolute(t.gitconfig);
      l->settings = {{"core.hooksPath", path}, {"receive.advertisePushOptions", "true"}};
      l->pass_through = true;
      return Status::Ok();
    case HookKind::kGitLabGlobal:
      l->root = path;
      l->hook_dir = Join(path, "pre-receive.d");
      l->hook_name = "akgate";
      return Status::Ok();
    case HookKind::kGitolite:
      if (installing && !IsDir(path) && !IsDir(Parent(path)))
        return Status::InvalidArgument(path + ": no such directory (gitolite's LOCAL_CODE, e.g. ~git/local)");
      l->root = path;
      l->hook_dir = Join(path, "hooks/common");
      l->hook_name = "pre-receive";
      l->chains = true;
      return Status::Ok();
  }
  return Status::InvalidArgument("unknown hook kind");
}

// --- the wrapper -------------------------------------------------------------------

std::string AkgateCommand(const InstallOptions& o) {
  std::string cmd = "\"$akgate\" pre-receive";
  if (!o.policy.empty()) cmd += " --policy " + ShellQuote(o.policy);
  return cmd;
}

std::string RenderWrapper(const Layout& l, const InstallOptions& o, const Json& record) {
  std::string w;
  w += "#!/bin/sh\n";
  w += "# akgate: refuses pushes that bring AccessKey pairs and other secrets.\n";
  w += "# Written by `akgate install`; `akgate uninstall` removes it and puts back\n";
  w += "# what was here, as recorded on the next line (keep that line).\n";
  w += kMarker + record.dump() + "\n";
  w += "akgate=" + ShellQuote(o.akgate) + "\n";
  if (!o.cache_dir.empty())
    w += "[ -n \"${AKGATE_CACHE_DIR:-}\" ] || AKGATE_CACHE_DIR=" + ShellQuote(o.cache_dir) +
         "\nexport AKGATE_CACHE_DIR\n";
  w += "if [ ! -x \"$akgate\" ]; then\n";
  w += "  echo \"akgate: $akgate is missing: push refused (reinstall akgate or run akgate uninstall)\" >&2\n";
  w += "  exit 1\n";
  w += "fi\n";
  bool chained = record.value("chained", false);
  bool own = record.value("repository_hooks", false);
  if (!chained && !own) {
    w += "exec " + AkgateCommand(o) + "\n";
    return w;
  }
  if (chained) {
    w += "# The pre-receive hook that was here before akgate.\n";
    w += "chained=\"$(dirname \"$0\")/" + l.hook_name + kChainedSuffix + "\"\n";
    w += "[ -x \"$chained\" ] || chained=\n";
  } else {
    w += "chained=\n";
  }
  if (own) {
    w += "# core.hooksPath hides each repository's own hooks directory: its\n";
    w += "# pre-receive hook, if any, runs here as git would have run it.\n";
    w += "own=\"${GIT_DIR:-.}/hooks/pre-receive\"\n";
    w += "{ [ -x \"$own\" ] && [ ! \"$own\" -ef \"$0\" ]; } || own=\n";
  } else {
    w += "own=\n";
  }
  w += "[ -n \"$chained$own\" ] || exec " + AkgateCommand(o) + "\n";
  w += "# git writes the ref updates once: keep them for every hook. akgate runs\n";
  w += "# first, so a push with a secret is refused before another hook acts on it.\n";
  w += "updates=$(cat; echo .)\n";
  w += "updates=${updates%.}\n";
  w += "printf '%s' \"$updates\" | " + AkgateCommand(o) + " || exit\n";
  w += "if [ -n \"$chained\" ]; then printf '%s' \"$updates\" | \"$chained\" \"$@\" || exit; fi\n";
  w += "if [ -n \"$own\" ]; then printf '%s' \"$updates\" | \"$own\" \"$@\" || exit; fi\n";
  w += "exit 0\n";
  return w;
}

std::string RenderPassThrough(const std::string& name) {
  std::string w;
  w += "#!/bin/sh\n";
  w += "# core.hooksPath (set by `akgate install`) hides each repository's own hooks\n";
  w += "# directory: this runs the repository's own " + name + " hook, as git would\n";
  w += "# have. `akgate uninstall` removes it.\n";
  w += std::string(kMarker) + "{\"pass_through\":\"" + name + "\"}\n";
  w += "hook=\"${GIT_DIR:-.}/hooks/" + name + "\"\n";
  w += "{ [ -x \"$hook\" ] && [ ! \"$hook\" -ef \"$0\" ]; } || exit 0\n";
  w += "exec \"$hook\" \"$@\"\n";
  return w;
}

// The record on the marker line of an installed wrapper.
Status ReadRecord(const std::string& file, Json* record) {
  std::string text;
  if (!ReadFile(file, &text)) return Status::IoError(Errno("cannot read " + file));
  size_t at = text.find(kMarker);
  if (at == std::string::npos) return Status::InvalidArgument(file + " is not akgate's hook");
  size_t start = at + std::strlen(kMarker);
  size_t end = text.find('\n', start);
  try {
    *record = Json::parse(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
  } catch (const std::exception& e) {
    return Status::Corrupt("the install record in " + file + " is damaged (" + e.what() +
                           "); remove the hook by hand and restore " + Parent(file) + " from a backup");
  }
  if (!record->is_object()) return Status::Corrupt("the install record in " + file + " is damaged");
  return Status::Ok();
}

// core.hooksPath set elsewhere makes git ignore the hook about to be written.
Status CheckHooksPathUnset(const Layout& l, const InstallOptions& o) {
  if (o.force) return Status::Ok();
  std::vector<std::string> files = {Join(l.root, "config")};
  if (!std::getenv("GIT_CONFIG_NOSYSTEM")) files.push_back(SystemGitConfigPath());
  for (const std::string& f : files) {
    std::optional<std::string> v;
    if (!GitConfigFile(f).Get("core.hooksPath", &v).ok() || !v) continue;
    return Status::InvalidArgument(
        "core.hooksPath is set to '" + *v + "' in " + f + ": git runs hooks from there, not from " + l.hook_dir +
        ", so this hook would never run; install with --hooks-path " + *v + " instead (or --force)");
  }
  return Status::Ok();
}

// --- install -------------------------------------------------------------------------

// What the settings are before install, into the record (nothing written).
Status RecordSettings(const Layout& l, Json* record) {
  if (l.config.empty()) return Status::Ok();
  GitConfigFile config(l.config);
  Json was = Json::object();
  Json sections = Json::array();
  for (const auto& [key, value] : l.settings) {
    std::optional<std::string> v;
    if (Status s = config.Get(key, &v); !s.ok()) return s;
    if (key == "core.hooksPath" && v && *v != value)
      return Status::InvalidArgument("core.hooksPath is already set to '" + *v + "' in " + l.config +
                                     ": git runs only the hooks there; install into that directory with --hooks-path " +
                                     *v);
    was[key] = v ? Json(*v) : Json(nullptr);
    std::string section = SectionOf(key);
    if (!config.HasSectionHeader(section) && std::find(sections.begin(), sections.end(), section) == sections.end())
      sections.push_back(section);
  }
  (*record)["config"] = {
      {"file", Relative(l.root, l.config)}, {"created", !Exists(l.config)}, {"was", was}, {"sections", sections}};
  return Status::Ok();
}

// Sets what install sets (again, on a second install, if it was changed since).
Status ApplySettings(const Layout& l, bool first_install, std::vector<std::string>* notes) {
  if (l.config.empty()) return Status::Ok();
  GitConfigFile config(l.config);
  for (const auto& [key, value] : l.settings) {
    std::optional<std::string> v;
    if (Status s = config.Get(key, &v); !s.ok()) return s;
    if (v && *v == value) continue;
    if (Status s = config.Set(key, value); !s.ok()) return s;
    if (!first_install) notes->push_back(key + " was changed since install; set to " + value + " again");
  }
  return Status::Ok();
}

Status Install(const Layout& l, const InstallOptions& o, InstallResult* result) {
  const std::string hook = Join(l.hook_dir, l.hook_name);
  const std::string chained = hook + kChainedSuffix;
  result->hook_file = hook;

  Json record;
  bool first_install = true;
  if (Exists(hook) && IsAkgateWrapper(hook)) {
    if (Status s = ReadRecord(hook, &record); !s.ok()) return s;
    first_install = false;
  } else {
    if (Exists(hook) && !l.chains)
      return Status::InvalidArgument(hook + " exists and is not akgate's: move it away first (the other hooks in " +
                                     l.hook_dir + " keep running beside akgate)");
    if (Exists(chained))
      return Status::InvalidArgument(chained + " exists (left from an earlier install?): move it away first");
    record = {{"akgate_install", 1}, {"kind", l.kind}, {"chained", false}};
    if (Status s = RecordSettings(l, &record); !s.ok()) return s;
  }

  std::vector<std::string> created;
  auto undo_dirs = [&] {
    for (auto it = created.rbegin(); it != created.rend(); ++it) rmdir(it->c_str());
  };
  if (Status s = MakeDirs(l.hook_dir, &created); !s.ok()) {
    undo_dirs();
    return s;
  }
  if (Status s = CheckWritable(l.hook_dir); !s.ok()) return s;
  if (!l.config.empty()) {
    if (Status s = CheckWritable(Parent(l.config)); !s.ok()) {
      undo_dirs();
      return s;
    }
  }
  std::vector<std::string> written;  // pass-throughs, removed again on failure
  auto undo_files = [&] {
    for (const std::string& f : written) unlink(f.c_str());
    undo_dirs();
  };
  if (first_install) {
    Json rel = Json::array();
    for (const std::string& d : created) rel.push_back(Relative(l.root, d));
    record["created"] = rel;
    // Pass-throughs for the hooks core.hooksPath hides, when this install sets it.
    if (l.pass_through) {
      bool set_here = record["config"]["was"].value("core.hooksPath", Json(nullptr)).is_null();
      record["repository_hooks"] = set_here;
      Json added = Json::array();
      for (const char* name : kPassThrough) {
        std::string file = Join(l.hook_dir, name);
        if (!set_here || Exists(file)) continue;
        if (Status s = WriteExecutable(file, RenderPassThrough(name)); !s.ok()) {
          undo_files();
          return s;
        }
        written.push_back(file);
        added.push_back(name);
      }
      record["pass_through"] = added;
    }
  }

  bool had_hook = first_install && l.chains && Exists(hook);
  if (had_hook) record["chained"] = true;
  std::string text = RenderWrapper(l, o, record);
  std::string old;
  bool same = !first_install && ReadFile(hook, &old) && old == text;
  if (!same) {
    // A second name for the existing hook, then the wrapper renamed over the
    // first: there is never a moment without a pre-receive hook.
    if (had_hook && link(hook.c_str(), chained.c_str()) != 0 && rename(hook.c_str(), chained.c_str()) != 0) {
      Status s = Status::IoError(Errno("cannot keep the existing hook as " + chained));
      undo_files();
      return s;
    }
    if (Status s = WriteExecutable(hook, text); !s.ok()) {
      if (had_hook) rename(chained.c_str(), hook.c_str());
      undo_files();
      return s;
    }
  }
  // The settings last: the hook is in place before core.hooksPath points at it.
  if (Status s = ApplySettings(l, first_install, &result->notes); !s.ok()) {
    if (first_install) {
      if (had_hook)
        rename(chained.c_str(), hook.c_str());
      else
        unlink(hook.c_str());
      undo_files();
    }
    return s;
  }
  if (same && result->notes.empty()) {
    result->summary = "akgate is already installed in " + hook + " (unchanged)";
    return Status::Ok();
  }
  result->changed = true;
  if (!first_install) {
    result->summary =
        "akgate was already installed in " + hook + ": " + (same ? "settings restored" : "wrapper updated");
    return Status::Ok();
  }
  result->summary = "installed akgate in " + hook;
  if (had_hook) {
    result->notes.push_back("the existing pre-receive hook is kept as " + chained +
                            " and runs after akgate accepts a push, with the same input");
    struct stat st;
    if (stat(chained.c_str(), &st) == 0 && !(st.st_mode & S_IXUSR))
      result->notes.push_back(chained + " is not executable, so (as before) it does not run");
  }
  for (const auto& [key, value] : l.settings) result->notes.push_back(key + " = " + value + " in " + l.config);
  if (record.value("repository_hooks", false))
    result->notes.push_back(
        "core.hooksPath hides every repository's own hooks directory: their pre-receive, "
        "update, post-receive and post-update hooks are run through " +
        l.hook_dir + "; other hooks there (client-side ones) no longer run");
  return Status::Ok();
}

// --- uninstall -----------------------------------------------------------------------

Status RestoreSettings(const Layout& l, const Json& record, std::vector<std::string>* notes) {
  if (!record.contains("config")) return Status::Ok();
  const Json& c = record["config"];
  std::string file = Resolve(l.root, c.value("file", std::string()));
  if (file.empty()) return Status::Ok();
  if (Status s = CheckWritable(Parent(file)); !s.ok()) return s;
  GitConfigFile config(file);
  for (const auto& [key, value] : l.settings) {
    if (!c["was"].contains(key)) continue;
    const Json& was = c["was"][key];
    std::optional<std::string> now;
    if (Status s = config.Get(key, &now); !s.ok()) return s;
    if (!now || *now != value) {
      notes->push_back(key + " in " + file + " was changed since install; left as it is");
      continue;
    }
    Status s = was.is_null() ? config.Unset(key) : config.Set(key, was.get<std::string>());
    if (!s.ok()) return s;
  }
  for (const Json& section : c.value("sections", Json::array())) {
    std::string name = section.get<std::string>();
    if (config.HasSectionHeader(name) && !config.SectionHasKeys(name)) {
      if (Status s = config.RemoveSection(name); !s.ok()) return s;
    }
  }
  std::string text;
  if (c.value("created", false) && ReadFile(file, &text) && text.find_first_not_of(" \t\r\n") == std::string::npos)
    unlink(file.c_str());
  return Status::Ok();
}

Status Uninstall(const Layout& l, InstallResult* result) {
  const std::string hook = Join(l.hook_dir, l.hook_name);
  const std::string chained = hook + kChainedSuffix;
  result->hook_file = hook;
  if (!Exists(hook) || !IsAkgateWrapper(hook)) {
    result->summary = "akgate is not installed in " + hook + ": nothing to do";
    if (Exists(chained))
      result->notes.push_back(chained + " exists but " + hook + " is not akgate's: left as they are");
    return Status::Ok();
  }
  Json record;
  if (Status s = ReadRecord(hook, &record); !s.ok()) return s;
  if (Status s = CheckWritable(l.hook_dir); !s.ok()) return s;
  if (Status s = RestoreSettings(l, record, &result->notes); !s.ok()) return s;

  for (const Json& name : record.value("pass_through", Json::array())) {
    std::string file = Join(l.hook_dir, name.get<std::string>());
    if (IsAkgateWrapper(file)) unlink(file.c_str());
  }
  if (record.value("chained", false) && Exists(chained)) {
    if (rename(chained.c_str(), hook.c_str()) != 0)
      return Status::IoError(Errno("cannot put " + chained + " back as " + hook));
    result->notes.push_back("the previous pre-receive hook is back in place");
  } else {
    if (unlink(hook.c_str()) != 0) return Status::IoError(Errno("cannot remove " + hook));
    if (record.value("chained", false))
      result->notes.push_back(chained + " (the previous hook) was gone; nothing to put back");
  }
  Json created = record.value("created", Json::array());
  for (auto it = created.rbegin(); it != created.rend(); ++it) {
    std::string dir = Resolve(l.root, it->get<std::string>());
    if (rmdir(dir.c_str()) != 0 && errno != ENOENT)
      result->notes.push_back(dir + " was created by install but is not empty now: left in place");
  }
  result->changed = true;
  result->summary = "removed akgate from " + hook;
  return Status::Ok();
}

}  // namespace

const char* HookKindName(HookKind kind) {
  switch (kind) {
    case HookKind::kRepository:
      return "repository";
    case HookKind::kHooksPath:
      return "hooks-path";
    case HookKind::kGitLab:
      return "gitlab";
    case HookKind::kGitLabGlobal:
      return "gitlab-global";
    case HookKind::kGitea:
      return "gitea";
    case HookKind::kGitolite:
      return "gitolite";
  }
  return "?";
}

bool IsGitDirectory(const std::string& dir) {
  struct stat st;
  return stat(Join(dir, "HEAD").c_str(), &st) == 0 && S_ISREG(st.st_mode) && IsDir(Join(dir, "objects")) &&
         IsDir(Join(dir, "refs"));
}

Status ResolveGitDirectory(const std::string& path, std::string* git_dir) {
  std::string p = Absolute(path);
  if (!Exists(p)) return Status::NotFound(p + ": no such file or directory");
  if (!IsDir(p)) return Status::InvalidArgument(p + " is not a directory");
  if (access(p.c_str(), R_OK | X_OK) != 0)
    return Status::IoError("cannot read " + p + ": " + std::strerror(errno) + "; " + NoPermissionHint(p));
  if (IsGitDirectory(p)) {
    *git_dir = p;
    return Status::Ok();
  }
  if (IsGitDirectory(Join(p, ".git"))) {
    *git_dir = Join(p, ".git");
    return Status::Ok();
  }
  return Status::InvalidArgument(p + " is not a git repository (no HEAD, objects/ and refs/ in it, nor in " + p +
                                 "/.git)");
}

std::vector<std::string> FindGitDirectories(const std::string& root, std::vector<std::string>* problems) {
  std::vector<std::string> found;
  std::vector<std::string> stack = {Absolute(root)};
  while (!stack.empty()) {
    std::string dir = stack.back();
    stack.pop_back();
    if (IsGitDirectory(dir)) {
      found.push_back(dir);
      continue;
    }
    std::error_code ec;
    fs::directory_iterator it(dir, ec), end;
    if (ec) {
      problems->push_back("cannot read " + dir + ": " + ec.message());
      continue;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) break;
      std::error_code ec2;
      if (it->is_symlink(ec2) || !it->is_directory(ec2)) continue;
      stack.push_back(it->path().string());
    }
    if (ec) problems->push_back("cannot read " + dir + ": " + ec.message());
  }
  std::sort(found.begin(), found.end());
  return found;
}

bool IsAkgateWrapper(const std::string& file) {
  struct stat st;
  if (stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > 65536) return false;
  std::string text;
  return ReadFile(file, &text) && text.find(kMarker) != std::string::npos;
}

namespace {

// The single-quoted /bin/sh word (ShellQuote's output) that starts at `at`.
bool UnquoteAt(const std::string& text, size_t at, std::string* word) {
  word->clear();
  if (at >= text.size() || text[at] != '\'') return false;
  while (at < text.size() && text[at] == '\'') {
    size_t end = text.find('\'', at + 1);
    if (end == std::string::npos) return false;
    *word += text.substr(at + 1, end - at - 1);
    at = end + 1;
    if (text.compare(at, 2, "\\'") != 0) break;
    *word += '\'';
    at += 2;
  }
  return true;
}

}  // namespace

Status ReadInstalledWrapper(const std::string& hook_file, const std::string& akgate, InstalledWrapper* out) {
  *out = InstalledWrapper();
  Json record;
  if (Status s = ReadRecord(hook_file, &record); !s.ok()) return s;
  if (!ReadFile(hook_file, &out->text)) return Status::IoError(Errno("cannot read " + hook_file));
  const std::string& t = out->text;
  size_t at = t.find("\nakgate=");
  if (at == std::string::npos || !UnquoteAt(t, at + 8, &out->akgate))
    return Status::Corrupt(hook_file + " names no akgate binary (akgate=...)");
  if (size_t p = t.find(" pre-receive --policy "); p != std::string::npos) UnquoteAt(t, p + 22, &out->policy);
  if (size_t p = t.find("|| AKGATE_CACHE_DIR="); p != std::string::npos) UnquoteAt(t, p + 20, &out->cache_dir);
  Layout l;
  l.hook_name = fs::path(hook_file).filename().string();
  InstallOptions o;
  o.akgate = akgate;
  o.policy = out->policy;
  o.cache_dir = out->cache_dir;
  out->expected = RenderWrapper(l, o, record);
  return Status::Ok();
}

std::string CurrentExecutable() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

std::string ShellQuote(const std::string& text) {
  std::string q = "'";
  for (char c : text) {
    if (c == '\'')
      q += "'\\''";
    else
      q += c;
  }
  return q + "'";
}

Status InstallHook(const InstallTarget& target, const InstallOptions& options, InstallResult* result) {
  *result = InstallResult();
  if (options.akgate.empty() || options.akgate[0] != '/')
    return Status::InvalidArgument("the akgate binary must be given as an absolute path, not '" + options.akgate + "'");
  if (access(options.akgate.c_str(), X_OK) != 0) return Status::IoError(Errno("cannot execute " + options.akgate));
  Layout l;
  if (Status s = MakeLayout(target, options, true, &l); !s.ok()) return s;
  if (target.kind == HookKind::kRepository || target.kind == HookKind::kGitea) {
    if (Status s = CheckHooksPathUnset(l, options); !s.ok()) return s;
  }
  if (target.kind == HookKind::kRepository && LooksLikeGitLab(l.root) && options.force)
    result->notes.push_back("this looks like a GitLab repository; GitLab runs custom_hooks, see --gitlab");
  Status s = Install(l, options, result);
  if (s.ok() && result->changed)
    result->notes.insert(result->notes.begin(), "the hook runs " + options.akgate + " pre-receive" +
                                                    (options.policy.empty() ? "" : " --policy " + options.policy));
  return s;
}

Status UninstallHook(const InstallTarget& target, const InstallOptions& options, InstallResult* result) {
  *result = InstallResult();
  Layout l;
  if (Status s = MakeLayout(target, options, false, &l); !s.ok()) return s;
  return Uninstall(l, result);
}

}  // namespace akgate
