// `akgate doctor`: options in, the report out as text or JSON, and an exit
// code saying whether anything is at risk.
#include "cli/doctor_command.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "doctor/doctor.h"

namespace akgate {

DoctorCommand::DoctorCommand(CLI::App* app) {
  cmd_ = app->add_subcommand("doctor", "Check a git server's and a gateway's akgate setup (docs/doctor.md)");
  cmd_->add_option("--root", roots_, "A server root: every repository under it (repeatable)");
  cmd_->add_option("--repo", repos_, "One repository (repeatable)");
  cmd_->add_option("--policy", policy_,
                   "The server-wide policy file (default: each hook's --policy, else /etc/akgate/policy.toml)");
  cmd_->add_option("--gateway-config", gateway_config_, "akgate-gateway's configuration file");
  cmd_->add_option("--gitlab-global", gitlab_global_, "Gitaly's custom_hooks_dir, when akgate is installed there");
  cmd_->add_option("--akgate", akgate_, "The akgate binary hooks should run (default: this one)");
  cmd_->add_option("-f,--format", format_, "Output format: text or json")->check(CLI::IsMember({"text", "json"}));
  cmd_->footer(
      "Nothing is changed. Exit code: 0 nothing at risk (only ok and info), 1 a check is warn, risk or error, "
      "2 usage error.\n");
}

bool DoctorCommand::selected() const { return cmd_->parsed(); }

int DoctorCommand::Run() {
  if (roots_.empty() && repos_.empty() && gateway_config_.empty()) {
    std::cerr << "akgate doctor: nothing to check: give --root DIR, --repo DIR or --gateway-config FILE\n";
    return kExitError;
  }
  if (!akgate_.empty() && akgate_[0] != '/') {
    std::cerr << "akgate doctor: --akgate must be an absolute path\n";
    return kExitError;
  }
  doctor::DoctorOptions o;
  o.roots = roots_;
  o.repos = repos_;
  o.policy = policy_;
  o.gateway_config = gateway_config_;
  o.gitlab_global = gitlab_global_;
  o.akgate = akgate_;
  doctor::Report r = doctor::RunDoctor(o);
  if (format_ == "json")
    std::cout << DumpJson(doctor::RenderJson(r)) << "\n";
  else
    std::cout << doctor::RenderText(r);
  return doctor::ExitCode(r);
}

}  // namespace akgate
