// `akgate doctor`'s findings: one Check per idea, grouped by what was
// checked (a repository, the policy, the gateway), rendered as text for a
// person or JSON for monitoring, and summed up in an exit code.
//
//   Report r;
//   Group& g = r.Add("/srv/git/app.git (repository)");
//   g.checks.push_back({"hook.present", Severity::kRisk, "no pre-receive hook: pushes are not checked",
//                       "akgate install --repo /srv/git/app.git"});
//   std::cout << RenderText(r);        // or DumpJson(RenderJson(r))
//   return ExitCode(r);                // 0: nothing at risk, 1: something is
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace akgate::doctor {

// In increasing order of concern. kError: the check itself could not be
// made or found something broken (a policy that does not load).
enum class Severity { kOk, kInfo, kWarn, kRisk, kError };
const char* SeverityName(Severity s);  // "ok", "info", "warn", "risk", "error"

struct Check {
  std::string id;  // stable, dotted: "hook.present", "policy.fail-mode"
  Severity severity = Severity::kOk;
  std::string finding;  // one line: what was found
  std::string fix;      // the exact command or config line; "" when nothing to do
};

struct Group {
  std::string subject;  // "/srv/git/app.git (gitlab)", "policy /etc/akgate/policy.toml", ...
  std::vector<Check> checks;
  void Add(std::string id, Severity s, std::string finding, std::string fix = "") {
    checks.push_back({std::move(id), s, std::move(finding), std::move(fix)});
  }
};

struct Report {
  std::vector<Group> groups;
  Group& Add(std::string subject) {
    groups.push_back({std::move(subject), {}});
    return groups.back();
  }
  Severity Worst() const;
  size_t Count(Severity s) const;
};

// One line per check under its group's subject, the fix indented beneath,
// then a summary line.
std::string RenderText(const Report& r);
// {"status": worst, "counts": {...}, "groups": [{"subject", "checks": [...]}]}
nlohmann::json RenderJson(const Report& r);
// 0 when every check is ok or info; 1 when any is warn, risk or error.
int ExitCode(const Report& r);

}  // namespace akgate::doctor
