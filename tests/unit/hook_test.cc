// The hook's environment and its watchdog.
#include <doctest/doctest.h>

#include <map>
#include <thread>

#include "hook/hook_environment.h"
#include "hook/watchdog.h"

using namespace akgate;

namespace {

GetEnvFn Env(std::map<std::string, std::string> vars) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(vars));
  return [shared](const char* name) -> const char* {
    auto it = shared->find(name);
    return it == shared->end() ? nullptr : it->second.c_str();
  };
}

}  // namespace

TEST_CASE("who is pushing: forge variables first, then the OS user") {
  CHECK(PusherFromEnvironment(Env({{"GL_USERNAME", "gl"}, {"GITEA_PUSHER_NAME", "gt"}, {"REMOTE_USER", "ru"}})) ==
        "gl");
  CHECK(PusherFromEnvironment(Env({{"GITEA_PUSHER_NAME", "gt"}, {"REMOTE_USER", "ru"}})) == "gt");
  CHECK(PusherFromEnvironment(Env({{"GL_USER", "gitolite-user"}, {"REMOTE_USER", "ru"}})) == "gitolite-user");
  CHECK(PusherFromEnvironment(Env({{"REMOTE_USER", "ru"}})) == "ru");
  CHECK_FALSE(PusherFromEnvironment(Env({})).empty());  // the OS user
}

TEST_CASE("push options and paths from git's environment") {
  HookEnvironment e = ReadHookEnvironment(Env({{"GIT_DIR", "/srv/a b:c.git"},
                                               {"GIT_QUARANTINE_PATH", "/srv/a b:c.git/objects/tmp_objdir-incoming-1"},
                                               {"GIT_PUSH_OPTION_COUNT", "2"},
                                               {"GIT_PUSH_OPTION_0", "akgate.bypass=reason"},
                                               {"GIT_PUSH_OPTION_1", "ci.skip"},
                                               {"AKGATE_POLICY", "/tmp/p.toml"}}));
  CHECK(e.git_dir == "/srv/a b:c.git");
  CHECK(e.quarantine == "/srv/a b:c.git/objects/tmp_objdir-incoming-1");
  CHECK(e.push_options == std::vector<std::string>{"akgate.bypass=reason", "ci.skip"});
  CHECK(e.policy_file == "/tmp/p.toml");
  CHECK(e.policy_explicit);
  CHECK(e.problems.empty());

  HookEnvironment none = ReadHookEnvironment(Env({{"GIT_PUSH_OPTION_COUNT", "0"}}));
  CHECK(none.git_dir == ".");
  CHECK(none.push_options.empty());
  CHECK(none.policy_file == "/etc/akgate/policy.toml");
  CHECK_FALSE(none.policy_explicit);

  HookEnvironment bad = ReadHookEnvironment(Env({{"GIT_PUSH_OPTION_COUNT", "lots"}}));
  CHECK(bad.problems.size() == 1);
  HookEnvironment gap = ReadHookEnvironment(Env({{"GIT_PUSH_OPTION_COUNT", "2"}, {"GIT_PUSH_OPTION_1", "x"}}));
  CHECK(gap.push_options == std::vector<std::string>{"x"});
  CHECK(gap.problems.size() == 1);
}

TEST_CASE("watchdog: exactly one of the main path and the expiry decides") {
  std::atomic<int> fired{0};
  {
    Watchdog dog(std::chrono::steady_clock::now() + std::chrono::seconds(5), [&] { fired++; });
    CHECK(dog.Claim());
    CHECK_FALSE(dog.Claim());
  }
  CHECK(fired == 0);
  {
    Watchdog dog(std::chrono::steady_clock::now() + std::chrono::milliseconds(20), [&] { fired++; });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK_FALSE(dog.Claim());
  }
  CHECK(fired == 1);
}

TEST_CASE("GitLab: its server hook variables, as GitLab documents them, say where the push came from") {
  HookEnvironment web = ReadHookEnvironment(
      Env({{"GL_ID", "user-7"}, {"GL_PROTOCOL", "web"}, {"GL_REPOSITORY", "project-42"}, {"GL_USERNAME", "alice"}}));
  CHECK(web.gitlab);
  CHECK(web.gitlab_web());
  CHECK(web.pusher == "alice");
  HookEnvironment ssh =
      ReadHookEnvironment(Env({{"GL_ID", "key-3"}, {"GL_PROTOCOL", "ssh"}, {"GL_REPOSITORY", "project-42"}}));
  CHECK(ssh.gitlab);
  CHECK_FALSE(ssh.gitlab_web());
  // gitolite's GL_USER is not GitLab; GL_PROTOCOL alone is not enough either.
  CHECK_FALSE(ReadHookEnvironment(Env({{"GL_USER", "bob"}, {"GL_PROTOCOL", "web"}})).gitlab_web());
  CHECK_FALSE(ReadHookEnvironment(Env({})).gitlab);
}
