#include "gate/push_gate.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "engine/compile_cache.h"
#include "notify/audit_log.h"
#include "notify/notifier.h"
#include "policy/policy_rules.h"
#include "report/messages.h"
#include "report/push_report.h"
#include "report/report.h"

namespace akgate {

namespace {

using Clock = std::chrono::steady_clock;

double MillisSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

Clock::duration Seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

// Turns an accepted push that must be recorded, and cannot be, into a
// rejection that says why.
void Refuse(const Policy& policy, const PushRequest& request, const std::string& why, PushOutcome* outcome) {
  RefuseUnrecorded(why, &outcome->decision);
  outcome->report = RenderPushReport(outcome->inspection, outcome->decision, ReportOptions(policy, request));
}

bool OnlyDeletes(const std::vector<RefUpdate>& refs) {
  return std::all_of(refs.begin(), refs.end(), [](const RefUpdate& r) { return r.is_delete(); });
}

// Sets *flag at `deadline` unless destroyed first.
class CancelAt {
 public:
  CancelAt(Clock::time_point deadline, std::atomic<bool>* flag)
      : thread_([this, deadline, flag] {
          std::unique_lock<std::mutex> lock(mu_);
          if (!cv_.wait_until(lock, deadline, [this] { return stop_; })) flag->store(true);
        }) {}
  ~CancelAt() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace

PushReportOptions ReportOptions(const Policy& p, const PushRequest& request) {
  PushReportOptions o;
  o.max_findings = p.max_findings;
  o.recorded = !p.audit_log.empty();
  o.notified = !NotifyTargetsOf(p).empty();
  o.language = request.options.language.value_or(p.language);
  o.unknown_language = request.options.unknown_language;
  return o;
}

NotifySettings NotifySettingsOf(const Policy& p) {
  NotifySettings s;
  s.targets = NotifyTargetsOf(p);
  s.console_url = p.console_url;
  s.outbox = p.outbox_file;
  s.max_attempts = p.outbox_max_attempts;
  s.max_age = p.outbox_max_age;
  s.retry_base = p.outbox_retry_base;
  s.follow_for = p.outbox_follow;
  return s;
}

PushBudget BudgetFor(const Policy& p, Clock::time_point started) {
  double reserve = 0;
  for (const NotifyTarget& t : NotifyTargetsOf(p)) reserve = std::max(reserve, t.timeout);
  reserve = std::min(reserve, p.time_budget / 2);
  PushBudget b;
  b.deadline = started + Seconds(p.time_budget);
  b.check_deadline = b.deadline - Seconds(reserve);
  return b;
}

Status Gate::Create(const Policy& policy, std::unique_ptr<Gate>* out) {
  std::unique_ptr<Gate> g(new Gate());
  g->policy_ = policy;
  // Fingerprints are keyed, always: no key, no check (never an unkeyed hash).
  if (policy.fingerprint_key_file.empty())
    return Status::InvalidArgument("no fingerprint key file is configured (engine/fingerprint.h)");
  FingerprintKey key;
  AKGATE_RETURN_IF_ERROR(FingerprintKey::Load(policy.fingerprint_key_file, &key));
  Status s = BuildRules(policy, &g->rules_, &g->warnings_);
  if (s.ok()) s = Scanner::Create(g->rules_, DefaultCompileCacheDir(), key, &g->scanner_);
  if (!s.ok()) return s.WithContext("cannot load the rules");
  *out = std::move(g);
  return Status::Ok();
}

PushOutcome Gate::Check(const PushInput& input) const {
  PushInspection inspection;
  if (!input.repo) {
    // No objects: nothing is new, which holds only when the push deletes
    // refs, or when what is absent exists upstream (the gateway).
    if (!OnlyDeletes(input.refs) && input.missing != MissingObjects::kExistUpstream) {
      PushOutcome failed = FailedPush(policy_, input, Cause::kError, "the push carries no objects to check");
      failed.warnings.insert(failed.warnings.begin(), warnings_.begin(), warnings_.end());
      return failed;
    }
    inspection.repository = input.repository;
    inspection.refs = input.refs;
    inspection.stats.refs = input.refs.size();
    for (const RefUpdate& r : input.refs) inspection.stats.deletions += r.is_delete();
    inspection.stats.duration_ms = MillisSince(input.started);
    return Decided(input, std::move(inspection));
  }

  PushInput timed = input;
  InspectProgress own_progress;
  if (!timed.progress) timed.progress = &own_progress;
  std::atomic<bool> cancel{false};
  InspectOptions o;
  o.missing = input.missing;
  o.cancel = &cancel;
  o.progress = timed.progress;
  o.fetcher = input.fetcher;
  o.lfs_gitlab_storage = policy_.lfs_gitlab_storage;
  o.lfs_missing_blocks = policy_.lfs_missing_blocks;
  const Clock::time_point check_deadline = BudgetFor(policy_, input.started).check_deadline;
  Status s;
  {
    CancelAt timer(check_deadline, &cancel);
    s = InspectPush(*input.repo, *scanner_, input.refs, o, &inspection);
  }
  // Not done in time, whether or not the inspection saw the flag.
  if (cancel.load() || Clock::now() >= check_deadline) {
    PushOutcome late = TimedOutPush(policy_, timed);
    late.warnings.insert(late.warnings.begin(), warnings_.begin(), warnings_.end());
    return late;
  }
  if (!s.ok()) {
    PushOutcome failed = FailedPush(policy_, input, Cause::kError, s.message(), inspection.stats);
    failed.warnings.insert(failed.warnings.begin(), warnings_.begin(), warnings_.end());
    return failed;
  }
  return Decided(input, std::move(inspection));
}

PushOutcome Gate::Decided(const PushInput& input, PushInspection inspection) const {
  PushOutcome out;
  out.inspection = std::move(inspection);
  out.decision = Decide(out.inspection, policy_, input.request);
  out.warnings = warnings_;
  for (const std::string& w : warnings_) out.decision.notes.push_back(w);
  out.report = RenderPushReport(out.inspection, out.decision, ReportOptions(policy_, input.request));
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
  out.report = RenderPushReport(out.inspection, out.decision, ReportOptions(policy, input.request));
  return out;
}

PushOutcome TimedOutPush(const Policy& policy, const PushInput& input) {
  InspectionStats partial;
  if (input.progress) {
    partial.commits = input.progress->commits.load();
    partial.blobs = input.progress->blobs.load();
    partial.bytes_scanned = input.progress->bytes.load();
  }
  char budget[32];
  std::snprintf(budget, sizeof budget, "%g s", policy.time_budget);
  return FailedPush(
      policy, input, Cause::kTimeout,
      std::string("the check took longer than its time budget of ") + budget + " (time_budget in the policy)", partial);
}

std::vector<std::string> RecordPush(const Policy& policy, const PushInput& input, PushOutcome* outcome, AuditLog* audit,
                                    const Status& audit_open) {
  std::vector<std::string> problems;
  // Before anything is sent: a push that must be recorded and has nowhere
  // to be recorded is refused, and notified as such.
  std::string nowhere;
  if (policy.audit_log.empty())
    nowhere = "no audit log is configured ([audit] log in the policy)";
  else if (!audit_open.ok())
    nowhere = audit_open.message();
  else if (!audit)
    nowhere = "the audit log is not open";
  if (!nowhere.empty() && outcome->decision.must_be_recorded()) Refuse(policy, input.request, nowhere, outcome);
  if (!audit_open.ok()) problems.push_back(audit_open.message());

  AuditContext ctx;
  ctx.via = input.via;
  ctx.repository = input.repository.empty() ? outcome->inspection.repository : input.repository;
  ctx.policy_files = policy.sources;
  ctx.warnings = outcome->warnings;
  ctx.duration_ms = MillisSince(input.started);
  nlohmann::json record = AuditRecord(outcome->inspection, outcome->decision, ctx);

  std::string event = NotificationEvent(outcome->decision);
  NotifySettings targets = NotifySettingsOf(policy);
  if (!event.empty() && !targets.targets.empty()) {
    nlohmann::json message = record;
    message["event"] = event;
    message["event_id"] = NewEventId();
    NotifyResult sent = Notify(targets, event, message, BudgetFor(policy, input.started).deadline);
    if (sent.wanted > 0) {
      record["event_id"] = message["event_id"];
      record["notified"] = sent.failures.empty() && sent.delivered == sent.wanted;
      if (!sent.failures.empty()) record["notify_errors"] = sent.failures;
      if (sent.queued > 0) record["notify_queued"] = sent.queued;
    }
  }
  if (audit) {
    Status s = audit->Write(record);
    if (!s.ok()) {
      problems.push_back(s.message());
      // The log was open but the line did not go in (a full disk): refused
      // all the same, though the notification already went out.
      if (outcome->decision.must_be_recorded()) Refuse(policy, input.request, s.message(), outcome);
    }
  }
  if (outcome->decision.cause != Cause::kUnrecorded) {
    const Language lang = ReportOptions(policy, input.request).language;
    for (const std::string& p : problems) outcome->report.push_back(Say(lang, Msg::kNotRecordedNote, {{"problem", p}}));
  }
  return problems;
}

}  // namespace akgate
