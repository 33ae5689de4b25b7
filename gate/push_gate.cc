#include "gate/push_gate.h"

#include "notify/audit_log.h"
#include "notify/notifier.h"
#include "policy/policy_rules.h"
#include "report/push_report.h"
#include "report/report.h"

namespace akgate {

namespace {

double MillisSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

PushReportOptions ReportOptions(const Policy& p) {
  PushReportOptions o;
  o.max_findings = p.max_findings;
  o.recorded = !p.audit_log.empty();
  o.notified = !p.webhook_url.empty() || !p.notify_command.empty();
  return o;
}

}  // namespace

Status Gate::Create(const Policy& policy, std::unique_ptr<Gate>* out) {
  std::unique_ptr<Gate> g(new Gate());
  g->policy_ = policy;
  Status s = BuildRules(policy, &g->rules_, &g->warnings_);
  if (s.ok()) s = Scanner::Create(g->rules_, &g->scanner_);
  if (!s.ok()) return s;
  *out = std::move(g);
  return Status::Ok();
}

PushOutcome Gate::Check(const PushInput& input) const {
  PushOutcome out;
  InspectOptions o;
  o.missing = input.missing;
  o.cancel = input.cancel;
  o.progress = input.progress;
  o.fetcher = input.fetcher;
  o.lfs_gitlab_storage = policy_.lfs_gitlab_storage;
  o.lfs_missing_blocks = policy_.lfs_missing_blocks;
  Status s = InspectPush(*input.repo, *scanner_, input.refs, o, &out.inspection);
  if (!s.ok()) {
    PushOutcome failed = FailedPush(policy_, input, Cause::kError, s.message(), out.inspection.stats);
    failed.warnings.insert(failed.warnings.begin(), warnings_.begin(), warnings_.end());
    return failed;
  }
  out.decision = Decide(out.inspection, policy_, input.request);
  out.warnings = warnings_;
  for (const std::string& w : warnings_) out.decision.notes.push_back(w);
  const InspectionStats& st = out.inspection.stats;
  if (st.previous_unknown > 0 && out.decision.blocking > 0)
    out.decision.notes.push_back("the earlier version of " + Plural(st.previous_unknown, "changed file", "changed files") +
                                 " with findings could not be read from the upstream (" +
                                 out.inspection.previous_unavailable +
                                 "): a secret that was already there counts as new.");
  out.report = RenderPushReport(out.inspection, out.decision, ReportOptions(policy_));
  return out;
}

PushOutcome FailedPush(const Policy& policy, const PushInput& input, Cause cause, const std::string& what,
                       const InspectionStats& partial) {
  PushOutcome out;
  out.inspection.repository = input.repo ? input.repo->path() : input.repository;
  out.inspection.refs = input.refs;
  out.inspection.stats = partial;
  out.inspection.stats.refs = input.refs.size();
  out.inspection.stats.duration_ms = MillisSince(input.started);
  out.decision = DecideFailure(cause, what, policy, input.request);
  out.report = RenderPushReport(out.inspection, out.decision, ReportOptions(policy));
  return out;
}

std::vector<std::string> RecordPush(const Policy& policy, const PushInput& input, PushOutcome* outcome,
                                    AuditLog* audit, std::chrono::steady_clock::time_point deadline) {
  std::vector<std::string> problems;
  AuditContext ctx;
  ctx.via = input.via;
  ctx.repository = input.repository.empty() ? outcome->inspection.repository : input.repository;
  ctx.policy_files = policy.sources;
  ctx.warnings = outcome->warnings;
  ctx.duration_ms = MillisSince(input.started);
  nlohmann::json record = AuditRecord(outcome->inspection, outcome->decision, ctx);

  std::string event = NotificationEvent(outcome->decision);
  NotifyTargets targets{policy.webhook_url, policy.webhook_timeout, policy.webhook_ca_file, policy.notify_command,
                        policy.command_timeout};
  if (!event.empty() && !targets.empty()) {
    nlohmann::json message = record;
    message["event"] = event;
    std::vector<std::string> failures = SendNotifications(
        targets, message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), deadline);
    record["notified"] = failures.empty();
    if (!failures.empty()) record["notify_errors"] = failures;
  }
  if (audit) {
    Status s = audit->Write(record);
    if (!s.ok()) problems.push_back(s.message());
  }
  return problems;
}

}  // namespace akgate
