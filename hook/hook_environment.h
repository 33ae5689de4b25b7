// What git tells a pre-receive hook besides stdin: the environment.
//
//   GIT_DIR                  the repository (receive-pack runs hooks inside it: ".")
//   GIT_QUARANTINE_PATH      where the pushed objects wait (see git/repository.h)
//   GIT_PUSH_OPTION_COUNT, GIT_PUSH_OPTION_<i>   `git push -o` values
//   GL_USERNAME (GitLab), GITEA_PUSHER_NAME (Gitea), GL_USER (gitolite),
//   REMOTE_USER (smart HTTP behind a web server)  who is pushing; else the OS user
//   AKGATE_POLICY            the server-wide policy file (default /etc/akgate/policy.toml)
//   GL_ID, GL_REPOSITORY, GL_PROTOCOL   set by GitLab for its server hooks: the
//                            hook runs under GitLab; GL_PROTOCOL is "ssh",
//                            "http" or "web" (commits and merges made in the
//                            web UI or the API, where only lines starting
//                            with "GL-HOOK-ERR: " are shown to the user)
//
// Read through a function so tests can supply any environment.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace akgate {

using GetEnvFn = std::function<const char*(const char*)>;

struct HookEnvironment {
  std::string git_dir = ".";
  std::string quarantine;  // as git set it (may be empty)
  std::vector<std::string> push_options;
  std::string pusher;
  std::string policy_file = "/etc/akgate/policy.toml";
  bool policy_explicit = false;  // from AKGATE_POLICY: must exist
  bool gitlab = false;           // GL_ID or GL_REPOSITORY is set
  std::string gitlab_protocol;   // GL_PROTOCOL: "ssh", "http", "web" (or "")
  bool gitlab_web() const { return gitlab && gitlab_protocol == "web"; }
  std::vector<std::string> problems;  // malformed variables, for the pusher
};

HookEnvironment ReadHookEnvironment(const GetEnvFn& getenv);

// The pusher's name from the variables above, else the OS user, else "".
std::string PusherFromEnvironment(const GetEnvFn& getenv);

}  // namespace akgate
