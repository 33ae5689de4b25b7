// `akgate doctor`: which repositories, then each one's checks, the policies
// their hooks read (each once per account), and the gateway.
#include "doctor/doctor.h"

#include <unistd.h>

#include <map>
#include <set>

#include "doctor/account.h"
#include "doctor/gateway_checks.h"
#include "doctor/policy_checks.h"
#include "doctor/repository_checks.h"
#include "installer/hook_installer.h"

namespace akgate::doctor {

Report RunDoctor(const DoctorOptions& o) {
  Report r;
  RepositoryOptions ro;
  ro.akgate = o.akgate.empty() ? CurrentExecutable() : o.akgate;
  ro.gitlab_global = o.gitlab_global;
  ro.policy = o.policy;

  std::vector<std::string> repos;
  std::set<std::string> seen;
  if (!o.roots.empty() || !o.repos.empty()) {
    Group& server = r.Add("git server");
    CheckGitVersion(&server);
    for (const std::string& root : o.roots) {
      std::vector<std::string> problems;
      std::vector<std::string> found = FindGitDirectories(root, &problems);
      for (const std::string& p : problems) server.Add("root.read", Severity::kError, p);
      if (found.empty())
        server.Add("root.repositories", Severity::kWarn, "no git repositories under " + root,
                   "akgate doctor --root DIR   # the directory that holds the repositories");
      else
        server.Add(
            "root.repositories", Severity::kOk,
            std::to_string(found.size()) + (found.size() == 1 ? " repository" : " repositories") + " under " + root);
      for (const std::string& f : found)
        if (seen.insert(f).second) repos.push_back(f);
    }
    for (const std::string& repo : o.repos) {
      std::string git_dir;
      if (Status s = ResolveGitDirectory(repo, &git_dir); !s.ok()) {
        server.Add("repository.read", Severity::kError, s.message());
        continue;
      }
      if (seen.insert(git_dir).second) repos.push_back(git_dir);
    }
  }

  // A policy shared by many repositories is checked once per account.
  struct PolicyUse {
    std::string file;
    Account account;
    std::vector<std::string> repos;
  };
  std::map<std::string, PolicyUse> shared;
  for (const std::string& git_dir : repos) {
    HookPlace place = FindHookPlace(git_dir, ro);
    Group& g = r.Add(git_dir + " (" + HookKindName(place.kind) + ")");
    std::string policy;
    CheckRepository(git_dir, ro, &g, &policy);
    Account owner;
    if (policy.empty() || !OwnerOf(git_dir, &owner)) continue;  // no hook reads a policy here
    PolicyFiles files;
    files.server = policy;
    files.server_required = policy != PolicyFiles().server;
    const std::string overlay = git_dir + "/akgate.toml";
    if (access(overlay.c_str(), F_OK) == 0) {
      files.repository = overlay;
      CheckPolicy(files, &owner, &r.groups.back());
      continue;
    }
    PolicyUse& use = shared[files.server + "\n" + std::to_string(owner.uid)];
    use.file = files.server;
    use.account = owner;
    use.repos.push_back(git_dir);
  }
  for (auto& [key, use] : shared) {
    PolicyFiles files;
    files.server = use.file;
    files.server_required = use.file != PolicyFiles().server;
    Group& g = r.Add("policy " + use.file + " (hooks run as " + use.account.name + ", " +
                     std::to_string(use.repos.size()) + (use.repos.size() == 1 ? " repository)" : " repositories)"));
    CheckPolicy(files, &use.account, &g);
  }
  if (!o.gateway_config.empty()) CheckGatewayConfig(o.gateway_config, &r);
  return r;
}

}  // namespace akgate::doctor
