#include "hook/hook_environment.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace akgate {

namespace {

std::string Get(const GetEnvFn& getenv, const char* name) {
  const char* v = getenv(name);
  return v ? v : "";
}

}  // namespace

std::string PusherFromEnvironment(const GetEnvFn& getenv) {
  for (const char* name : {"GL_USERNAME", "GITEA_PUSHER_NAME", "GL_USER", "REMOTE_USER"}) {
    std::string v = Get(getenv, name);
    if (!v.empty()) return v;
  }
  if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name) return pw->pw_name;
  return Get(getenv, "USER");
}

HookEnvironment ReadHookEnvironment(const GetEnvFn& getenv) {
  HookEnvironment env;
  if (std::string d = Get(getenv, "GIT_DIR"); !d.empty()) env.git_dir = d;
  env.quarantine = Get(getenv, "GIT_QUARANTINE_PATH");
  env.pusher = PusherFromEnvironment(getenv);
  env.gitlab = !Get(getenv, "GL_ID").empty() || !Get(getenv, "GL_REPOSITORY").empty();
  env.gitlab_protocol = Get(getenv, "GL_PROTOCOL");
  if (std::string p = Get(getenv, "AKGATE_POLICY"); !p.empty()) {
    env.policy_file = p;
    env.policy_explicit = true;
  }
  std::string count = Get(getenv, "GIT_PUSH_OPTION_COUNT");
  if (!count.empty()) {
    char* end = nullptr;
    long n = std::strtol(count.c_str(), &end, 10);
    if (*end != '\0' || n < 0 || n > 10000) {
      env.problems.push_back("GIT_PUSH_OPTION_COUNT=\"" + count.substr(0, 20) +
                             "\" is not a count; push options ignored");
    } else {
      for (long i = 0; i < n; ++i) {
        std::string name = "GIT_PUSH_OPTION_" + std::to_string(i);
        const char* v = getenv(name.c_str());
        if (!v) {
          env.problems.push_back(name + " is missing; push options may be incomplete");
          continue;
        }
        env.push_options.push_back(v);
      }
    }
  }
  return env;
}

}  // namespace akgate
