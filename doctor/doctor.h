// `akgate doctor`: checks a git server's and a gateway's akgate setup and
// says, per check, what is at risk and the exact fix (docs/doctor.md).
//
//   DoctorOptions o;
//   o.roots = {"/srv/git"};                     // every repository under it
//   o.gateway_config = "/etc/akgate/gateway.toml";
//   Report r = RunDoctor(o);
//   std::cout << RenderText(r);  return ExitCode(r);
//
// Nothing is changed: doctor reads files and git configs, runs `git
// --version` and `git config --get`, and loads the policy, rules, key and
// certificates as the hook and the gateway would.
#pragma once

#include <string>
#include <vector>

#include "doctor/check.h"

namespace akgate::doctor {

struct DoctorOptions {
  std::vector<std::string> roots;  // server roots: every repository under each
  std::vector<std::string> repos;  // single repositories
  std::string policy;              // the server-wide policy (default: each hook's --policy, else the default)
  std::string gateway_config;      // akgate-gateway's configuration
  std::string gitlab_global;       // Gitaly's custom_hooks_dir
  std::string akgate;              // the binary a current hook runs (default: this one)
};

Report RunDoctor(const DoctorOptions& o);

}  // namespace akgate::doctor
