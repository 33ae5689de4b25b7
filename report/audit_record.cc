#include "report/audit_record.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace akgate {

std::string UtcNow() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

std::string NotificationEvent(const PushDecision& d) {
  if (!d.notify()) return "";
  if (!d.accepted) return "block";
  if (d.bypass_used) return "bypass";
  if (d.monitored) return "monitor";
  return "allow";
}

nlohmann::json AuditRecord(const PushInspection& in, const PushDecision& d, const AuditContext& ctx) {
  using nlohmann::json;
  const InspectionStats& s = in.stats;
  json refs = json::array();
  for (const RefUpdate& u : in.refs) refs.push_back({{"ref", u.ref}, {"old", u.old_id}, {"new", u.new_id}});
  json findings = json::array();
  for (size_t i = 0; i < in.findings.size() && i < ctx.max_findings; ++i) {
    const PushFinding& pf = in.findings[i];
    const Finding& f = pf.finding;
    json redacted = json::array();
    for (const FindingPart& p : f.parts) redacted.push_back(p.redacted);
    json item = {{"rule", f.rule_id},
                 {"provider", f.provider},
                 {"source", SourceKindName(pf.source)},
                 {"path", f.path},
                 {"line", f.location().offset == Location::kWholeFile ? 0 : f.location().line},
                 {"commit", pf.commit.id.empty() ? json(nullptr) : json(pf.commit.id)},
                 {"fingerprint", f.fingerprint},
                 {"redacted", redacted},
                 {"disposition", i < d.dispositions.size() ? DispositionName(d.dispositions[i]) : "?"}};
    if (!pf.ref.empty()) item["ref"] = pf.ref;
    if (pf.also_in) item["also_in"] = pf.also_in;
    if (!pf.paired_with.empty()) item["paired_with"] = {{"pair", pf.pair_rule}, {"places", pf.paired_with}};
    findings.push_back(std::move(item));
  }
  json skipped = json::object();
  for (const auto& [reason, n] : s.skipped) skipped[reason] = n;
  json record = {
      {"time", UtcNow()},
      {"tool", std::string("akgate ") + AKGATE_VERSION},
      {"via", ctx.via},
      {"repo", ctx.repository.empty() ? in.repository : ctx.repository},
      {"pusher", d.pusher},
      {"refs", refs},
      {"commits", s.commits},
      {"tags", s.tags},
      {"blobs", s.blobs},
      {"blobs_scanned", s.blobs_scanned},
      {"bytes_scanned", s.bytes_scanned},
      {"messages_scanned", s.messages_scanned},
      {"skipped", skipped},
      {"duration_ms", ctx.duration_ms},
      {"decision", DecisionName(d)},
      {"cause", CauseName(d.cause)},
      {"blocking", d.blocking},
      {"warnings", d.warnings},
      {"allowed", d.allowed},
      {"pre_existing", d.pre_existing},
      {"findings", findings},
      {"bypass_requested", d.bypass_requested},
      {"bypass_reason", d.bypass_requested ? json(d.bypass_reason) : json(nullptr)},
      {"bypass_refused", d.bypass_refused.empty() ? json(nullptr) : json(d.bypass_refused)},
      {"allowed_fingerprints", d.allowed_by_option},
      {"allow_reason", d.allowed_by_option.empty() ? json(nullptr) : json(d.allow_reason)},
      {"allowed_inline", d.allowed_inline},
      {"error", d.error.empty() ? json(nullptr) : json(d.error)},
  };
  if (in.findings.size() > ctx.max_findings) record["findings_omitted"] = in.findings.size() - ctx.max_findings;
  if (d.cause == Cause::kError || d.cause == Cause::kTimeout) record["fail_mode"] = FailModeName(d.fail_mode);
  if (d.policy_unreadable) record["policy_unreadable"] = true;
  if (!ctx.policy_files.empty()) record["policy"] = ctx.policy_files;
  if (!ctx.warnings.empty()) record["notes"] = ctx.warnings;
  // Allowlist entries of the pre-0.2 form that matched: what replaces each.
  if (!d.legacy_allowlist.empty()) {
    json migrate = json::array();
    for (const auto& [entry, fingerprint] : d.legacy_allowlist)
      migrate.push_back({{"entry", entry}, {"fingerprint", fingerprint}});
    record["allowlist_migration"] = migrate;
  }
  // The gateway: earlier versions of changed files fetched from the upstream.
  if (s.previous_fetches > 0 || s.previous_unknown > 0) {
    record["previous_fetches"] = s.previous_fetches;
    record["previous_unknown"] = s.previous_unknown;
    if (!in.previous_unavailable.empty()) record["previous_unavailable"] = in.previous_unavailable;
  }
  return record;
}

}  // namespace akgate
