// akgate install / uninstall (installer/hook_installer.h): where each kind of
// server gets the wrapper, chaining an existing hook, idempotence, exact
// restoration, and what the wrapper does with stdin.
#include "installer/hook_installer.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/unit/git_fixture.h"

using namespace akgate;
using akgate::testing::TempDir;
namespace fs = std::filesystem;

namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void Write(const std::string& path, const std::string& text, bool executable = false) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
  if (executable)
    fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
}

int Sh(const std::string& command) {
  int rc = std::system(command.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string BareRepo(const TempDir& dir, const std::string& name = "app.git") {
  std::string path = dir.path() + "/" + name;
  REQUIRE(Sh("git init -q --bare '" + path + "'") == 0);
  return path;
}

std::string Config(const std::string& file, const std::string& key) {
  std::string out = file + ".value";
  if (Sh("git config --file '" + file + "' --get " + key + " > '" + out + "' 2>/dev/null") != 0) return "<unset>";
  std::string v = Read(out);
  fs::remove(out);
  if (!v.empty() && v.back() == '\n') v.pop_back();
  return v;
}

// A stand-in for the akgate binary: records its arguments and stdin, exits
// with the code in $dir/akgate.rc (default 0).
std::string FakeAkgate(const TempDir& dir) {
  std::string path = dir.path() + "/bin/akgate";
  Write(path,
        "#!/bin/sh\n"
        "d=$(dirname \"$0\")\n"
        "echo \"$@\" > \"$d/akgate.args\"\n"
        "cat > \"$d/akgate.stdin\"\n"
        "exit $(cat \"$d/akgate.rc\" 2>/dev/null || echo 0)\n",
        true);
  return path;
}

InstallOptions Options(const std::string& akgate) {
  InstallOptions o;
  o.akgate = akgate;
  return o;
}

const char* kOldHook = "#!/bin/sh\n# the site's own hook\ncat > \"$(dirname \"$0\")/../old-hook.stdin\"\nexit 0\n";

}  // namespace

TEST_CASE("install --repo: a wrapper in hooks/pre-receive and push options on; uninstall restores the config exactly") {
  TempDir dir;
  std::string repo = BareRepo(dir);
  std::string config_before = Read(repo + "/config");
  InstallResult r;
  REQUIRE(InstallHook({HookKind::kRepository, repo}, Options(FakeAkgate(dir)), &r).ok());
  CHECK(r.changed);
  CHECK(r.hook_file == repo + "/hooks/pre-receive");
  CHECK(IsAkgateWrapper(repo + "/hooks/pre-receive"));
  CHECK(access((repo + "/hooks/pre-receive").c_str(), X_OK) == 0);
  CHECK(Read(repo + "/hooks/pre-receive").find("pre-receive") != std::string::npos);
  CHECK(Config(repo + "/config", "receive.advertisePushOptions") == "true");
  CHECK_FALSE(fs::exists(repo + "/hooks/pre-receive.akgate-chained"));

  REQUIRE(UninstallHook({HookKind::kRepository, repo}, {}, &r).ok());
  CHECK(r.changed);
  CHECK_FALSE(fs::exists(repo + "/hooks/pre-receive"));
  CHECK(Read(repo + "/config") == config_before);

  REQUIRE(UninstallHook({HookKind::kRepository, repo}, {}, &r).ok());
  CHECK_FALSE(r.changed);
  CHECK(r.summary.find("nothing to do") != std::string::npos);
}

TEST_CASE("an existing hook is chained, never overwritten; installing twice does not chain akgate to itself") {
  TempDir dir;
  std::string repo = BareRepo(dir);
  std::string hook = repo + "/hooks/pre-receive";
  Write(hook, kOldHook, true);
  std::string akgate = FakeAkgate(dir);
  InstallResult r;
  REQUIRE(InstallHook({HookKind::kRepository, repo}, Options(akgate), &r).ok());
  CHECK(Read(hook + ".akgate-chained") == kOldHook);
  REQUIRE(InstallHook({HookKind::kRepository, repo}, Options(akgate), &r).ok());
  CHECK_FALSE(r.changed);
  CHECK(Read(hook + ".akgate-chained") == kOldHook);
  CHECK_FALSE(fs::exists(hook + ".akgate-chained.akgate-chained"));

  // A new binary path updates the wrapper and keeps the record.
  std::string moved = dir.path() + "/bin/akgate2";
  fs::copy_file(akgate, moved);
  REQUIRE(InstallHook({HookKind::kRepository, repo}, Options(moved), &r).ok());
  CHECK(r.changed);
  CHECK(Read(hook).find(moved) != std::string::npos);
  CHECK(Read(hook + ".akgate-chained") == kOldHook);

  REQUIRE(UninstallHook({HookKind::kRepository, repo}, {}, &r).ok());
  CHECK(Read(hook) == kOldHook);
  CHECK(access(hook.c_str(), X_OK) == 0);
  CHECK_FALSE(fs::exists(hook + ".akgate-chained"));
}

TEST_CASE("the wrapper: akgate first with the ref updates, then the chained hook with the same input") {
  TempDir dir;
  std::string repo = BareRepo(dir);
  std::string hook = repo + "/hooks/pre-receive";
  Write(hook, kOldHook, true);
  InstallOptions o = Options(FakeAkgate(dir));
  o.policy = dir.path() + "/my policy.toml";
  InstallResult r;
  REQUIRE(InstallHook({HookKind::kRepository, repo}, o, &r).ok());
  std::string updates = std::string(40, '0') + " " + std::string(40, 'a') + " refs/heads/main\n" +
                        std::string(40, 'b') + " " + std::string(40, 'c') + " refs/heads/it's \"odd\"\n";
  Write(dir.path() + "/updates", updates);

  CHECK(Sh("cd '" + repo + "' && GIT_DIR=. hooks/pre-receive < '" + dir.path() + "/updates'") == 0);
  CHECK(Read(dir.path() + "/bin/akgate.stdin") == updates);
  CHECK(Read(dir.path() + "/bin/akgate.args") == "pre-receive --policy " + o.policy + "\n");
  CHECK(Read(hook).find("AKGATE_CACHE_DIR") == std::string::npos);
  CHECK(Read(repo + "/old-hook.stdin") == updates);

  // akgate refuses: its exit code is the hook's, and the chained hook never runs.
  fs::remove(repo + "/old-hook.stdin");
  Write(dir.path() + "/bin/akgate.rc", "1\n");
  CHECK(Sh("cd '" + repo + "' && GIT_DIR=. hooks/pre-receive < '" + dir.path() + "/updates'") == 1);
  CHECK_FALSE(fs::exists(repo + "/old-hook.stdin"));

  // The chained hook's refusal is the hook's refusal.
  Write(dir.path() + "/bin/akgate.rc", "0\n");
  Write(hook + ".akgate-chained", "#!/bin/sh\ncat >/dev/null\nexit 3\n", true);
  CHECK(Sh("cd '" + repo + "' && GIT_DIR=. hooks/pre-receive < '" + dir.path() + "/updates'") == 3);

  // akgate gone: the push is refused (fail closed), with a message.
  fs::remove(dir.path() + "/bin/akgate");
  CHECK(Sh("cd '" + repo + "' && GIT_DIR=. hooks/pre-receive < /dev/null 2>/dev/null") == 1);
}

TEST_CASE("--cache-dir: the wrapper sets AKGATE_CACHE_DIR unless the environment does") {
  TempDir dir;
  std::string repo = BareRepo(dir);
  std::string fake = FakeAkgate(dir);
  Write(fake, "#!/bin/sh\necho \"$AKGATE_CACHE_DIR\" > \"$(dirname \"$0\")/cache.dir\"\ncat >/dev/null\n", true);
  InstallOptions o = Options(fake);
  o.cache_dir = dir.path() + "/cache dir";
  InstallResult r;
  REQUIRE(InstallHook({HookKind::kRepository, repo}, o, &r).ok());
  CHECK(Sh("cd '" + repo + "' && env -u AKGATE_CACHE_DIR hooks/pre-receive < /dev/null") == 0);
  CHECK(Read(dir.path() + "/bin/cache.dir") == o.cache_dir + "\n");
  CHECK(Sh("cd '" + repo + "' && AKGATE_CACHE_DIR=/elsewhere hooks/pre-receive < /dev/null") == 0);
  CHECK(Read(dir.path() + "/bin/cache.dir") == "/elsewhere\n");
}

TEST_CASE("without a chained hook the wrapper execs akgate directly") {
  TempDir dir;
  std::string repo = BareRepo(dir);
  InstallResult r;
  REQUIRE(InstallHook({HookKind::kRepository, repo}, Options(FakeAkgate(dir)), &r).ok());
  std::string text = Read(repo + "/hooks/pre-receive");
  CHECK(text.find("exec \"$akgate\" pre-receive\n") != std::string::npos);
  Write(dir.path() + "/updates", std::string(40, '1') + " " + std::string(40, '2') + " refs/heads/x\n");
  CHECK(Sh("cd '" + repo + "' && hooks/pre-receive < '" + dir.path() + "/updates'") == 0);
  CHECK(Read(dir.path() + "/bin/akgate.stdin") == Read(dir.path() + "/updates"));
}

TEST_CASE("previous config values are restored, not just unset") {
  TempDir dir;
  std::string repo = BareRepo(dir);
  REQUIRE(Sh("git config --file '" + repo + "/config' receive.advertisePushOptions false") == 0);
  std::string before = Read(repo + "/config");
  InstallResult r;
  REQUIRE(InstallHook({HookKind::kRepository, repo}, Options(FakeAkgate(dir)), &r).ok());
  CHECK(Config(repo + "/config", "receive.advertisePushOptions") == "true");
  REQUIRE(UninstallHook({HookKind::kRepository, repo}, {}, &r).ok());
  CHECK(Config(repo + "/config", "receive.advertisePushOptions") == "false");
  CHECK(Read(repo + "/config") == before);
}

TEST_CASE("a value changed after install is left as the administrator set it") {
  TempDir dir;
  std::string repo = BareRepo(dir);
  InstallResult r;
  REQUIRE(InstallHook({HookKind::kRepository, repo}, Options(FakeAkgate(dir)), &r).ok());
  REQUIRE(Sh("git config --file '" + repo + "/config' receive.advertisePushOptions false") == 0);
  REQUIRE(UninstallHook({HookKind::kRepository, repo}, {}, &r).ok());
  CHECK(Config(repo + "/config", "receive.advertisePushOptions") == "false");
  bool noted = false;
  for (const std::string& n : r.notes) noted |= n.find("changed since install") != std::string::npos;
  CHECK(noted);
}

TEST_CASE("clear errors: not a repository, missing path, relative binary, leftover chained hook") {
  TempDir dir;
  InstallResult r;
  std::string akgate = FakeAkgate(dir);
  Status s = InstallHook({HookKind::kRepository, dir.path() + "/nope"}, Options(akgate), &r);
  CHECK(s.message().find("no such file or directory") != std::string::npos);
  fs::create_directories(dir.path() + "/plain");
  s = InstallHook({HookKind::kRepository, dir.path() + "/plain"}, Options(akgate), &r);
  CHECK(s.message().find("is not a git repository") != std::string::npos);
  std::string repo = BareRepo(dir);
  s = InstallHook({HookKind::kRepository, repo}, Options("akgate"), &r);
  CHECK(s.message().find("absolute path") != std::string::npos);
  Write(repo + "/hooks/pre-receive.akgate-chained", kOldHook, true);
  s = InstallHook({HookKind::kRepository, repo}, Options(akgate), &r);
  CHECK(s.message().find("exists (left from an earlier install?)") != std::string::npos);
  CHECK_FALSE(fs::exists(repo + "/hooks/pre-receive"));
}

TEST_CASE("a working copy's hooks go into its .git") {
  TempDir dir;
  std::string work = dir.path() + "/work";
  REQUIRE(Sh("git init -q '" + work + "'") == 0);
  InstallResult r;
  REQUIRE(InstallHook({HookKind::kRepository, work}, Options(FakeAkgate(dir)), &r).ok());
  CHECK(r.hook_file == work + "/.git/hooks/pre-receive");
}

TEST_CASE("core.hooksPath set elsewhere: --repo refuses, since the hook would never run") {
  TempDir dir;
  std::string repo = BareRepo(dir);
  REQUIRE(Sh("git config --file '" + repo + "/config' core.hooksPath /srv/hooks") == 0);
  InstallResult r;
  Status s = InstallHook({HookKind::kRepository, repo}, Options(FakeAkgate(dir)), &r);
  CHECK(s.message().find("core.hooksPath is set to '/srv/hooks'") != std::string::npos);
  CHECK_FALSE(fs::exists(repo + "/hooks/pre-receive"));
  InstallOptions forced = Options(FakeAkgate(dir));
  forced.force = true;
  CHECK(InstallHook({HookKind::kRepository, repo}, forced, &r).ok());
}

TEST_CASE("Gitea: hooks/pre-receive.d/akgate beside Gitea's own hook; --repo on a Gitea repository is refused") {
  TempDir dir;
  std::string repo = BareRepo(dir, "owner/app.git");
  std::string gitea_hook =
      "#!/usr/bin/env bash\n# AUTO GENERATED BY GITEA, DO NOT MODIFY\ndata=$(cat)\n"
      "for hook in ${GIT_DIR}/hooks/${hookname}.d/*; do\n  echo \"${data}\" | \"${hook}\"\ndone\n";
  Write(repo + "/hooks/pre-receive", gitea_hook, true);
  Write(repo + "/hooks/pre-receive.d/gitea", "#!/usr/bin/env bash\n", true);
  InstallResult r;
  Status s = InstallHook({HookKind::kRepository, repo}, Options(FakeAkgate(dir)), &r);
  CHECK(s.message().find("use --gitea") != std::string::npos);

  REQUIRE(InstallHook({HookKind::kGitea, repo}, Options(FakeAkgate(dir)), &r).ok());
  CHECK(r.hook_file == repo + "/hooks/pre-receive.d/akgate");
  CHECK(Read(repo + "/hooks/pre-receive") == gitea_hook);
  CHECK(Config(repo + "/config", "receive.advertisePushOptions") == "true");
  REQUIRE(UninstallHook({HookKind::kGitea, repo}, {}, &r).ok());
  CHECK_FALSE(fs::exists(repo + "/hooks/pre-receive.d/akgate"));
  CHECK(fs::exists(repo + "/hooks/pre-receive.d/gitea"));

  // Where nothing runs pre-receive.d, --gitea would install a hook that never runs.
  std::string plain = BareRepo(dir, "plain.git");
  s = InstallHook({HookKind::kGitea, plain}, Options(FakeAkgate(dir)), &r);
  CHECK(s.message().find("does not run hooks/pre-receive.d/*") != std::string::npos);
  CHECK_FALSE(fs::exists(plain + "/hooks/pre-receive.d"));
}

TEST_CASE("a hooks directory that is a symbolic link (shared by repositories) is not written through") {
  TempDir dir;
  std::string repo = BareRepo(dir);
  fs::create_directories(dir.path() + "/shared-hooks");
  fs::remove_all(repo + "/hooks");
  fs::create_directory_symlink(dir.path() + "/shared-hooks", repo + "/hooks");
  InstallResult r;
  Status s = InstallHook({HookKind::kRepository, repo}, Options(FakeAkgate(dir)), &r);
  CHECK(s.message().find("is a symbolic link to " + dir.path() + "/shared-hooks") != std::string::npos);
  CHECK(fs::is_empty(dir.path() + "/shared-hooks"));
}

TEST_CASE("GitLab: custom_hooks/pre-receive.d/akgate, directories removed again; a foreign akgate file is refused") {
  TempDir dir;
  std::string repo = BareRepo(dir, "@hashed/ab/cd/abcd.git");
  std::string config = Read(repo + "/config");
  InstallResult r;
  Status s = InstallHook({HookKind::kRepository, repo}, Options(FakeAkgate(dir)), &r);
  CHECK(s.message().find("use --gitlab") != std::string::npos);
  REQUIRE(InstallHook({HookKind::kGitLab, repo}, Options(FakeAkgate(dir)), &r).ok());
  CHECK(r.hook_file == repo + "/custom_hooks/pre-receive.d/akgate");
  CHECK(Read(repo + "/config") == config);  // GitLab advertises push options itself
  REQUIRE(UninstallHook({HookKind::kGitLab, repo}, {}, &r).ok());
  CHECK_FALSE(fs::exists(repo + "/custom_hooks"));

  Write(repo + "/custom_hooks/pre-receive.d/akgate", "#!/bin/sh\nexit 0\n", true);
  s = InstallHook({HookKind::kGitLab, repo}, Options(FakeAkgate(dir)), &r);
  CHECK(s.message().find("exists and is not akgate's") != std::string::npos);
  REQUIRE(UninstallHook({HookKind::kGitLab, repo}, {}, &r).ok());
  CHECK_FALSE(r.changed);
  CHECK(fs::exists(repo + "/custom_hooks/pre-receive.d/akgate"));
}

TEST_CASE("GitLab server-wide: DIR/pre-receive.d/akgate") {
  TempDir dir;
  InstallResult r;
  REQUIRE(InstallHook({HookKind::kGitLabGlobal, dir.path() + "/custom_hooks"}, Options(FakeAkgate(dir)), &r).ok());
  CHECK(r.hook_file == dir.path() + "/custom_hooks/pre-receive.d/akgate");
  REQUIRE(UninstallHook({HookKind::kGitLabGlobal, dir.path() + "/custom_hooks"}, {}, &r).ok());
  CHECK_FALSE(fs::exists(dir.path() + "/custom_hooks"));
}

TEST_CASE("core.hooksPath: wrapper, pass-throughs for the repositories' own hooks, config set and restored") {
  TempDir dir;
  std::string hooks = dir.path() + "/etc/akgate/hooks";
  std::string gitconfig = dir.path() + "/gitconfig";
  InstallTarget t{HookKind::kHooksPath, hooks, gitconfig};
  InstallResult r;
  REQUIRE(InstallHook(t, Options(FakeAkgate(dir)), &r).ok());
  CHECK(Config(gitconfig, "core.hooksPath") == hooks);
  CHECK(Config(gitconfig, "receive.advertisePushOptions") == "true");
  CHECK(IsAkgateWrapper(hooks + "/pre-receive"));
  for (const char* name : {"update", "post-receive", "post-update"}) CHECK(IsAkgateWrapper(hooks + "/" + name));

  // The repository's own hooks still run through the hooks path.
  std::string repo = BareRepo(dir);
  Write(repo + "/hooks/pre-receive", kOldHook, true);
  Write(repo + "/hooks/update", "#!/bin/sh\necho \"$@\" > \"$GIT_DIR/update.args\"\n", true);
  Write(dir.path() + "/updates", std::string(40, '1') + " " + std::string(40, '2') + " refs/heads/x\n");
  CHECK(Sh("cd '" + repo + "' && GIT_DIR=. '" + hooks + "/pre-receive' < '" + dir.path() + "/updates'") == 0);
  CHECK(Read(repo + "/old-hook.stdin") == Read(dir.path() + "/updates"));
  CHECK(Sh("cd '" + repo + "' && GIT_DIR=. '" + hooks + "/update' refs/heads/x a b") == 0);
  CHECK(Read(repo + "/update.args") == "refs/heads/x a b\n");
  CHECK(Sh("cd '" + repo + "' && GIT_DIR=. '" + hooks + "/post-receive' < /dev/null") == 0);

  // Installing twice changes nothing.
  REQUIRE(InstallHook(t, Options(FakeAkgate(dir)), &r).ok());
  CHECK_FALSE(r.changed);

  REQUIRE(UninstallHook(t, {}, &r).ok());
  CHECK_FALSE(fs::exists(gitconfig));  // install created it
  CHECK_FALSE(fs::exists(dir.path() + "/etc"));
}

TEST_CASE("core.hooksPath already pointing elsewhere is not replaced; into an existing hooks directory it chains") {
  TempDir dir;
  std::string gitconfig = dir.path() + "/gitconfig";
  std::string theirs = dir.path() + "/site-hooks";
  Write(theirs + "/pre-receive", kOldHook, true);
  REQUIRE(Sh("git config --file '" + gitconfig + "' core.hooksPath '" + theirs + "'") == 0);
  std::string before = Read(gitconfig);
  InstallResult r;
  Status s = InstallHook({HookKind::kHooksPath, dir.path() + "/other", gitconfig}, Options(FakeAkgate(dir)), &r);
  CHECK(s.message().find("already set to '" + theirs + "'") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.path() + "/other"));

  REQUIRE(InstallHook({HookKind::kHooksPath, theirs, gitconfig}, Options(FakeAkgate(dir)), &r).ok());
  CHECK(Read(theirs + "/pre-receive.akgate-chained") == kOldHook);
  CHECK_FALSE(fs::exists(theirs + "/update"));  // their hooks path: no pass-throughs
  REQUIRE(UninstallHook({HookKind::kHooksPath, theirs, gitconfig}, {}, &r).ok());
  CHECK(Read(theirs + "/pre-receive") == kOldHook);
  CHECK(Read(gitconfig) == before);
}

TEST_CASE("gitolite: LOCAL_CODE/hooks/common/pre-receive, chaining the site's common hook") {
  TempDir dir;
  std::string local = dir.path() + "/local";
  Write(local + "/hooks/common/pre-receive", kOldHook, true);
  InstallResult r;
  REQUIRE(InstallHook({HookKind::kGitolite, local}, Options(FakeAkgate(dir)), &r).ok());
  CHECK(r.hook_file == local + "/hooks/common/pre-receive");
  CHECK(Read(local + "/hooks/common/pre-receive.akgate-chained") == kOldHook);
  REQUIRE(UninstallHook({HookKind::kGitolite, local}, {}, &r).ok());
  CHECK(Read(local + "/hooks/common/pre-receive") == kOldHook);
  Status s = InstallHook({HookKind::kGitolite, dir.path() + "/no/such/dir"}, Options(FakeAkgate(dir)), &r);
  CHECK(s.message().find("LOCAL_CODE") != std::string::npos);
}

TEST_CASE("every repository under a directory: bare and working copies, not inside one, no symlinks followed") {
  TempDir dir;
  BareRepo(dir, "srv/a.git");
  BareRepo(dir, "srv/group/b.git");
  BareRepo(dir, "srv/group/sub/c d.git");
  REQUIRE(Sh("git init -q '" + dir.path() + "/srv/work'") == 0);
  BareRepo(dir, "srv/a.git/nested.git");  // inside a repository: not a separate one
  fs::create_directory_symlink(dir.path() + "/srv/group", dir.path() + "/srv/link");
  std::vector<std::string> problems;
  std::vector<std::string> found = FindGitDirectories(dir.path() + "/srv", &problems);
  std::vector<std::string> want = {dir.path() + "/srv/a.git", dir.path() + "/srv/group/b.git",
                                   dir.path() + "/srv/group/sub/c d.git", dir.path() + "/srv/work/.git"};
  CHECK(found == want);
  CHECK(problems.empty());
}

TEST_CASE("shell quoting survives quotes and spaces") {
  CHECK(ShellQuote("/usr/local/bin/akgate") == "'/usr/local/bin/akgate'");
  CHECK(ShellQuote("/opt/it's here") == "'/opt/it'\\''s here'");
  CHECK(Sh("test \"$(printf '%s' " + ShellQuote("a'b \"c\" $d") + ")\" = 'a'\\''b \"c\" $d'") == 0);
}
