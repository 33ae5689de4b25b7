#include "policy/decision.h"

#include <algorithm>

namespace akgate {

const char* DispositionName(Disposition d) {
  switch (d) {
    case Disposition::kBlocks:
      return "block";
    case Disposition::kWarns:
      return "warn";
    case Disposition::kAllowedByPolicy:
      return "allowed-by-policy";
    case Disposition::kAllowedByOption:
      return "allowed-by-push-option";
    case Disposition::kAllowedInline:
      return "allowed-inline";
    case Disposition::kPreExisting:
      return "pre-existing";
    case Disposition::kOff:
      return "off";
  }
  return "?";
}

const char* CauseName(Cause c) {
  switch (c) {
    case Cause::kClean:
      return "clean";
    case Cause::kWarnings:
      return "warnings";
    case Cause::kAllowed:
      return "allowed";
    case Cause::kFindings:
      return "findings";
    case Cause::kBypassed:
      return "bypassed";
    case Cause::kError:
      return "error";
    case Cause::kTimeout:
      return "timeout";
    case Cause::kUnrecorded:
      return "unrecorded";
  }
  return "?";
}

const char* DecisionName(const PushDecision& d) {
  if (!d.accepted) return "reject";
  return d.bypass_used ? "bypass" : d.monitored ? "monitor" : "accept";
}

namespace {

bool Listed(const std::vector<std::string>& fps, const Finding& f) {
  auto has = [&](const std::string& fp) { return std::find(fps.begin(), fps.end(), fp) != fps.end(); };
  if (has(f.fingerprint)) return true;
  for (const FindingPart& p : f.parts)
    if (has(p.fingerprint)) return true;
  return false;
}

// An allowlist entry in the pre-0.2 form (engine/fingerprint.h) that
// matched, noted once (for the pusher and the audit) with its replacement.
// `where`: "policy [allowlist]" or "the rules' [allowlist]".
void NoteLegacy(const std::string& where, const std::string& old_fp, const std::string& new_fp, PushDecision* d) {
  std::pair<std::string, std::string> entry(old_fp, new_fp);
  if (std::find(d->legacy_allowlist.begin(), d->legacy_allowlist.end(), entry) != d->legacy_allowlist.end()) return;
  d->legacy_allowlist.push_back(entry);
  d->notes.push_back(where + " fingerprints: \"" + old_fp +
                     "\" is in the form of akgate before 0.2; replace it with \"" + new_fp + "\"");
}

// An allowlist entry in the pre-0.2 form that matches `f`: still honoured,
// and noted with the fingerprint that replaces it.
bool ListedLegacy(const std::vector<std::string>& fps, const Finding& f, PushDecision* d) {
  auto note = [&](const std::string& old_fp, const std::string& new_fp) {
    NoteLegacy("policy [allowlist]", old_fp, new_fp, d);
    return true;
  };
  auto has = [&](const std::string& fp) { return !fp.empty() && std::find(fps.begin(), fps.end(), fp) != fps.end(); };
  if (has(f.legacy_fingerprint)) return note(f.legacy_fingerprint, f.fingerprint);
  for (const FindingPart& p : f.parts)
    if (has(p.legacy_fingerprint)) return note(p.legacy_fingerprint, p.fingerprint);
  return false;
}

// Who the pusher is and what they may do; shared by both kinds of decision.
PushDecision Start(const Policy& policy, const PushRequest& request) {
  PushDecision d;
  d.pusher = request.pusher;
  d.may_bypass = PusherListed(policy.bypass_who, request.pusher);
  d.may_allow = PusherListed(policy.allow_who, request.pusher);
  d.verbose = request.options.verbose || policy.show_pre_existing;
  d.push_options_accepted = request.push_options_accepted;
  d.bypass_requested = request.options.bypass;
  d.bypass_reason = request.options.bypass_reason;
  d.notes = request.options.problems;
  d.allow_needs_reason = policy.allow_require_reason;
  if (!request.options.allow.empty()) {
    if (!d.may_allow) {
      d.allow_refusal = Refusal::kNotPermitted;
      d.allow_refused = "the policy does not let " + (request.pusher.empty() ? "you" : request.pusher) +
                        " allow findings with -o akgate.allow";
    } else if (policy.allow_require_reason && request.options.reason.empty()) {
      d.allow_refusal = Refusal::kNoReason;
      d.allow_refused =
          "a reason is required: git push -o akgate.allow=<fingerprint> "
          "-o akgate.reason=\"why it is not a secret\"";
    } else {
      d.allow_reason = request.options.reason;
    }
  }
  return d;
}

// A rejected push becomes a bypassed one when the pusher asked and may.
void ApplyBypass(const Policy& policy, PushDecision* d) {
  if (d->accepted || !d->bypass_requested) return;
  if (!d->may_bypass) {
    d->bypass_refusal = Refusal::kNotPermitted;
    d->bypass_refused = "the policy does not let " + (d->pusher.empty() ? "you" : d->pusher) + " bypass akgate";
    return;
  }
  if (policy.bypass_require_reason && d->bypass_reason.empty()) {
    d->bypass_refusal = Refusal::kNoReason;
    d->bypass_refused = "a reason is required: git push -o akgate.bypass=\"why this is safe\"";
    return;
  }
  d->accepted = true;
  d->bypass_used = true;
}

// Monitor mode: a push still rejected is let through, its cause kept. Not
// for a policy that did not load: its mode is not trusted.
void ApplyMonitor(const Policy& policy, PushDecision* d) {
  if (d->accepted || !policy.monitor || d->policy_unreadable) return;
  d->accepted = true;
  d->monitored = true;
}

}  // namespace

PushDecision Decide(const PushInspection& inspection, const Policy& policy, const PushRequest& request) {
  PushDecision d = Start(policy, request);
  const std::vector<std::string>& wanted = request.options.allow;
  const bool honour_allow = d.may_allow && d.allow_refused.empty();
  std::vector<std::string> used;
  for (const PushFinding& pf : inspection.findings) {
    const Finding& f = pf.finding;
    Disposition disp;
    if (pf.pre_existing) {
      disp = Disposition::kPreExisting;
    } else if (f.action == Action::kOff) {
      disp = Disposition::kOff;
    } else if (Listed(policy.allow_fingerprints, f) || ListedLegacy(policy.allow_fingerprints, f, &d)) {
      disp = Disposition::kAllowedByPolicy;
    } else if (honour_allow && Listed(wanted, f)) {
      disp = Disposition::kAllowedByOption;
      for (const std::string& fp : wanted)
        if (fp == f.fingerprint ||
            std::any_of(f.parts.begin(), f.parts.end(), [&](const FindingPart& p) { return p.fingerprint == fp; }))
          used.push_back(fp);
    } else if (f.inline_allowed && policy.inline_allow) {
      disp = Disposition::kAllowedInline;
    } else {
      disp = f.action == Action::kBlock ? Disposition::kBlocks : Disposition::kWarns;
      if (f.inline_allowed) d.inline_refused++;
    }
    switch (disp) {
      case Disposition::kBlocks:
        d.blocking++;
        break;
      case Disposition::kWarns:
        d.warnings++;
        break;
      case Disposition::kAllowedInline:
        d.allowed_inline++;
        d.allowed++;
        break;
      case Disposition::kAllowedByPolicy:
      case Disposition::kAllowedByOption:
        d.allowed++;
        break;
      case Disposition::kPreExisting:
        d.pre_existing++;
        break;
      case Disposition::kOff:
        break;
    }
    d.dispositions.push_back(disp);
  }
  // The rules' allowlist matched these in the engine (the findings are gone).
  for (const auto& [old_fp, new_fp] : inspection.stats.legacy_allowlist)
    NoteLegacy("the rules' [allowlist]", old_fp, new_fp, &d);
  for (const std::string& fp : wanted) {
    if (std::find(used.begin(), used.end(), fp) != used.end()) {
      if (std::find(d.allowed_by_option.begin(), d.allowed_by_option.end(), fp) == d.allowed_by_option.end())
        d.allowed_by_option.push_back(fp);
    } else if (honour_allow) {
      d.allow_unused.push_back(fp);
    }
  }
  d.accepted = d.blocking == 0;
  d.cause = d.blocking ? Cause::kFindings : d.allowed ? Cause::kAllowed : d.warnings ? Cause::kWarnings : Cause::kClean;
  ApplyBypass(policy, &d);
  if (d.bypass_used) d.cause = Cause::kBypassed;
  ApplyMonitor(policy, &d);
  return d;
}

PushDecision DecideFailure(Cause cause, const std::string& what, const Policy& policy, const PushRequest& request) {
  PushDecision d = Start(policy, request);
  d.cause = cause;
  d.error = what;
  d.fail_mode = cause == Cause::kTimeout ? policy.on_timeout : policy.on_error;
  if (!policy.unreadable.empty()) {
    d.fail_mode = FailMode::kBlock;  // no setting of a policy that did not load is trusted
    d.policy_unreadable = true;
  }
  d.accepted = d.fail_mode == FailMode::kAllow;
  ApplyBypass(policy, &d);
  ApplyMonitor(policy, &d);
  return d;
}

void RefuseUnrecorded(const std::string& why, PushDecision* d) {
  std::string what = d->bypass_used                                             ? "bypassed"
                     : d->monitored                                             ? "let through in monitor mode"
                     : d->cause == Cause::kError || d->cause == Cause::kTimeout ? "accepted without a complete check"
                                                                                : "accepted with allowed findings";
  d->accepted = false;
  d->bypass_used = false;
  d->monitored = false;
  d->cause = Cause::kUnrecorded;
  d->error = "this push would be " + what + ", which is only let in when it is recorded, and it cannot be: " + why;
}

}  // namespace akgate
