// Writing and removing the developer's hooks (see client_hooks.h).
#include "installer/client_hooks.h"

#include <git2/config.h>
#include <git2/errors.h>
#include <git2/repository.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <system_error>

#include "git/git_error.h"
#include "git/repository.h"
#include "installer/git_config_file.h"
#include "installer/hook_installer.h"

namespace akgate {

namespace fs = std::filesystem;

namespace {

constexpr const char* kMarker = "# akgate-client-hook";
constexpr const char* kChainedSuffix = ".akgate-chained";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Written beside, then renamed over: a hook is never half written.
Status WriteExecutable(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".akgate-tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) return Status::IoError("cannot write " + tmp + ": " + std::strerror(errno));
  }
  if (::chmod(tmp.c_str(), 0755) != 0 || std::rename(tmp.c_str(), path.c_str()) != 0) {
    Status s = Status::IoError("cannot install " + path + ": " + std::strerror(errno));
    std::remove(tmp.c_str());
    return s;
  }
  return Status::Ok();
}

std::string Home() {
  const char* h = std::getenv("HOME");
  return h && *h ? h : "";
}

std::string UserGitConfig(const std::string& given) { return given.empty() ? Home() + "/.gitconfig" : given; }

std::string DefaultGlobalHooksDir() {
  const char* x = std::getenv("XDG_CONFIG_HOME");
  return (x && *x ? std::string(x) : Home() + "/.config") + "/akgate/hooks";
}

}  // namespace

Status ClientHooksDirOfClone(const std::string& path, std::string* hooks_dir) {
  InitLibgit2(false);
  git_repository* repo = nullptr;
  if (git_repository_open_ext(&repo, path.c_str(), 0, nullptr) < 0) return GitStatus("no git clone at " + path);
  std::unique_ptr<git_repository, void (*)(git_repository*)> owner(repo, git_repository_free);
  if (git_repository_is_bare(repo) == 1)
    return Status::InvalidArgument(path + " is a bare repository: server-side, use akgate install --repo");
  git_config* cfg = nullptr;
  if (git_repository_config_snapshot(&cfg, repo) == 0) {
    git_buf value = GIT_BUF_INIT;
    const bool set = git_config_get_path(&value, cfg, "core.hooksPath") == 0;
    const std::string dir = set && value.ptr ? value.ptr : "";
    git_buf_dispose(&value);
    git_config_free(cfg);
    git_error_clear();
    if (set)
      return Status::InvalidArgument("core.hooksPath is set (" + dir + "): git runs the hooks there, not in " + path +
                                     "; akgate install --client --global installs there, and docs/developer.md shows "
                                     "how to call akgate from Husky or lefthook");
  }
  *hooks_dir = (fs::path(git_repository_commondir(repo)) / "hooks").lexically_normal().string();
  return Status::Ok();
}

Status ClientHooksDirGlobal(const std::string& gitconfig, bool install, std::string* hooks_dir,
                            std::vector<std::string>* done) {
  const std::string file = UserGitConfig(gitconfig);
  if (file == "/.gitconfig") return Status::InvalidArgument("$HOME is not set; give --gitconfig FILE");
  GitConfigFile cfg(file);
  std::optional<std::string> current;
  AKGATE_RETURN_IF_ERROR(cfg.Get("core.hooksPath", &current));
  if (current && !current->empty()) {
    *hooks_dir = current->rfind("~/", 0) == 0 ? Home() + current->substr(1) : *current;
    return Status::Ok();
  }
  if (!install) return Status::NotFound("core.hooksPath is not set in " + file + ": no global hooks to remove");
  *hooks_dir = DefaultGlobalHooksDir();
  AKGATE_RETURN_IF_ERROR(cfg.Set("core.hooksPath", *hooks_dir));
  done->push_back("set core.hooksPath = " + *hooks_dir + " in " + file +
                  " (git now runs the hooks there for every repository; each repository's own hooks are run too)");
  return Status::Ok();
}

Status ForgetGlobalClientHooksDir(const std::string& gitconfig, const std::string& hooks_dir,
                                  std::vector<std::string>* done) {
  if (hooks_dir != DefaultGlobalHooksDir()) return Status::Ok();  // someone else's directory: theirs to keep
  std::error_code ec;
  if (!fs::is_empty(hooks_dir, ec) && !ec) return Status::Ok();
  const std::string file = UserGitConfig(gitconfig);
  AKGATE_RETURN_IF_ERROR(GitConfigFile(file).Unset("core.hooksPath"));
  done->push_back("unset core.hooksPath in " + file);
  return Status::Ok();
}

bool IsAkgateClientHook(const std::string& file) { return ReadFile(file).find(kMarker) != std::string::npos; }

std::string ClientHookScript(const std::string& name, const ClientHooks& h) {
  const bool pre_push = name == "pre-push";
  std::string s;
  s += "#!/bin/sh\n";
  s += std::string(kMarker) + ": " + name + ". Installed by `akgate install --client`; `akgate uninstall --client`\n";
  s += "# removes it and puts back the hook it chains (docs/developer.md).\n";
  s += "akgate=" + ShellQuote(h.akgate) + "\n";
  s += "[ -x \"$akgate\" ] || akgate=$(command -v akgate 2>/dev/null) || akgate=\n";
  s += "if [ -z \"$akgate\" ]; then\n";
  s += "  echo \"akgate: the " + name + " hook cannot run: akgate is not at \"" + ShellQuote(h.akgate) +
       "\" nor on PATH.\" >&2\n";
  s += "  echo \"akgate: install akgate, or remove this hook ($0) with: akgate uninstall --client\" >&2\n";
  s += std::string("  echo \"akgate: to ") + (pre_push ? "push" : "commit") + " once without the check: git " +
       (pre_push ? "push" : "commit") + " --no-verify\" >&2\n";
  s += "  exit 1\n";
  s += "fi\n";
  if (pre_push) {
    // git's lines are read once and given to akgate and to each chained hook.
    s += "input=$(cat)\n";
    s += "[ -z \"$input\" ] || input=\"$input\n\"\n";
    s += "printf %s \"$input\" | \"$akgate\" scan --pre-push \"$1\" || exit $?\n";
  } else {
    s += "\"$akgate\" scan --staged || exit $?\n";
  }
  auto chain = [&](const std::string& hook) {
    s += "if [ -x " + hook + " ]; then\n";
    s += pre_push ? "  printf %s \"$input\" | " + hook + " \"$@\" || exit $?\n" : "  " + hook + " \"$@\" || exit $?\n";
    s += "fi\n";
  };
  chain("\"$0" + std::string(kChainedSuffix) + "\"");
  if (h.global) {
    // core.hooksPath hides the repository's own hooks: run them too.
    s += "own=\"$(git rev-parse --git-common-dir)/hooks/" + name + "\"\n";
    s += "if [ \"$own\" -ef \"$0\" ]; then own=; fi\n";
    s += "if [ -n \"$own\" ] && [ -x \"$own\" ]; then\n";
    s += pre_push ? "  printf %s \"$input\" | \"$own\" \"$@\" || exit $?\n" : "  \"$own\" \"$@\" || exit $?\n";
    s += "fi\n";
  }
  s += "exit 0\n";
  return s;
}

Status InstallClientHooks(const ClientHooks& h, std::vector<std::string>* done) {
  std::error_code ec;
  fs::create_directories(h.hooks_dir, ec);
  if (ec) return Status::IoError("cannot create " + h.hooks_dir + ": " + ec.message());
  for (const char* name : kClientHookNames) {
    const std::string hook = (fs::path(h.hooks_dir) / name).string();
    const std::string chained = hook + kChainedSuffix;
    std::string what;
    if (fs::exists(fs::symlink_status(hook, ec)) && !IsAkgateClientHook(hook)) {
      if (fs::exists(fs::symlink_status(chained, ec)))
        return Status::InvalidArgument(hook + " is not akgate's and " + chained +
                                       " exists already: move one of them away first");
      if (std::rename(hook.c_str(), chained.c_str()) != 0)
        return Status::IoError("cannot keep " + hook + " as " + chained + ": " + std::strerror(errno));
      what = " (the existing hook kept as " + chained + ", run after akgate)";
    } else if (IsAkgateClientHook(hook)) {
      what = " (updated)";
    }
    AKGATE_RETURN_IF_ERROR(WriteExecutable(hook, ClientHookScript(name, h)));
    done->push_back("installed " + hook + what);
  }
  return Status::Ok();
}

Status UninstallClientHooks(const ClientHooks& h, std::vector<std::string>* done) {
  std::error_code ec;
  for (const char* name : kClientHookNames) {
    const std::string hook = (fs::path(h.hooks_dir) / name).string();
    const std::string chained = hook + kChainedSuffix;
    if (!IsAkgateClientHook(hook)) {
      done->push_back("not installed: " + hook + (fs::exists(hook, ec) ? " (not akgate's, left alone)" : ""));
      continue;
    }
    if (std::remove(hook.c_str()) != 0) return Status::IoError("cannot remove " + hook + ": " + std::strerror(errno));
    std::string what;
    if (fs::exists(fs::symlink_status(chained, ec))) {
      if (std::rename(chained.c_str(), hook.c_str()) != 0)
        return Status::IoError("cannot put back " + chained + ": " + std::strerror(errno));
      what = " (the hook it chained is back)";
    }
    done->push_back("removed " + hook + what);
  }
  return Status::Ok();
}

}  // namespace akgate
