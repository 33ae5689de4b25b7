// The decision: may this push go in? From the inspection's findings, the
// policy and what the pusher asked for (push options).
//
// Per finding, in this order:
//   pre-existing (already in the parent's version of the file) -> not blocking
//   fingerprint in the policy's allowlist                      -> allowed
//   fingerprint given with -o akgate.allow, pusher permitted   -> allowed
//     (with -o akgate.reason="..." when [bypass] allow_require_reason)
//   on a line marked akgate:allow / gitleaks:allow, when the
//     policy's [allowlist] inline = "allow"                    -> allowed
//   otherwise the rule's action (after [rules.actions])        -> block / warn
// Then for the push: any blocking finding rejects it, unless the pusher asked
// for a bypass and the policy lets them (with a reason when required).
//
// A push that could not be checked (error, timeout) gets DecideFailure: the
// policy's on_error / on_timeout, which a permitted bypass can also override.
// A policy that did not load (Policy::unreadable) always blocks.
//
// Last, monitor mode ([gate] mode = "monitor"): a push still rejected after
// all of the above is let through, `monitored`, with its cause unchanged
// (what would have rejected it), and must be recorded like a bypass.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "git/push_inspection.h"
#include "policy/policy.h"
#include "policy/push_options.h"

namespace akgate {

// Who is pushing and what they asked for.
struct PushRequest {
  std::string pusher;
  PushOptions options;
  bool push_options_accepted = true;  // the server accepts `git push -o` (report hints)
};

enum class Disposition {
  kBlocks,           // blocking finding
  kWarns,            // reported, does not block
  kAllowedByPolicy,  // fingerprint in the policy's allowlist
  kAllowedByOption,  // -o akgate.allow=<fingerprint>
  kAllowedInline,    // on a line marked akgate:allow, honoured by the policy
  kPreExisting,      // already there before this push
  kOff,              // its rule is off
};
const char* DispositionName(Disposition d);  // "block", "warn", "allowed", ...

// Why the push was accepted or rejected.
enum class Cause {
  kClean,       // nothing found (accepted)
  kWarnings,    // only warnings (accepted)
  kAllowed,     // findings, each allowed (policy allowlist, -o akgate.allow, inline) (accepted)
  kFindings,    // blocking findings (rejected)
  kBypassed,    // blocking findings, bypassed (accepted)
  kError,       // could not be checked: on_error applied
  kTimeout,     // not checked in time: on_timeout applied
  kUnrecorded,  // would be accepted, but must be recorded and cannot be (rejected)
};
const char* CauseName(Cause c);

// Why a bypass or an allow the pusher asked for was refused (the report
// says it in the pusher's language; the audit keeps the English sentence).
enum class Refusal { kNone, kNotPermitted, kNoReason };

struct PushDecision {
  bool accepted = true;
  Cause cause = Cause::kClean;
  std::vector<Disposition> dispositions;  // one per inspection finding
  uint64_t blocking = 0, warnings = 0, allowed = 0, pre_existing = 0;

  uint64_t allowed_inline = 0;  // of `allowed`: by an akgate:allow line
  uint64_t inline_refused = 0;  // findings on akgate:allow lines the policy does not honour

  std::string error;                      // kError / kTimeout / kUnrecorded: what went wrong
  FailMode fail_mode = FailMode::kBlock;  // kError / kTimeout: what was applied
  bool policy_unreadable = false;         // kError: a policy file did not load, so block

  std::string pusher;
  bool bypass_requested = false;
  bool bypass_used = false;
  bool monitored = false;  // would have been rejected; let through by [gate] mode = "monitor"
  std::string bypass_reason;
  std::string bypass_refused;                  // why a requested bypass was refused
  Refusal bypass_refusal = Refusal::kNone;     // ... as a kind
  bool may_bypass = false;                     // the policy lets this pusher bypass (report hint)
  bool may_allow = false;                      // ... and use -o akgate.allow
  bool allow_needs_reason = false;             // ... with -o akgate.reason="..." (report hint)
  std::string allow_reason;                    // -o akgate.reason, when -o akgate.allow was honoured
  std::vector<std::string> allowed_by_option;  // fingerprints -o akgate.allow allowed
  std::vector<std::string> allow_unused;       // given but matching no finding
  std::string allow_refused;                   // why -o akgate.allow was not honoured
  Refusal allow_refusal = Refusal::kNone;      // ... as a kind
  bool verbose = false;                        // list pre-existing findings too
  bool push_options_accepted = true;           // the report may suggest `git push -o`
  std::vector<std::string> notes;              // for the pusher: push option problems, policy warnings
  // [allowlist] fingerprints entries that matched in their pre-0.2 form
  // (engine/fingerprint.h): (the entry, the fingerprint to replace it with).
  std::vector<std::pair<std::string, std::string>> legacy_allowlist;

  // Let in only because the pusher or the content asked (a bypass, an
  // allowed finding) or without a complete check (a fail-open): such a
  // push is accepted only if its record can be written (gate/push_gate.h).
  bool must_be_recorded() const {
    return accepted && (bypass_used || monitored || !allowed_by_option.empty() || allowed_inline > 0 ||
                        cause == Cause::kError || cause == Cause::kTimeout);
  }
  // Events worth a notification: a block, a bypass, a push let through in
  // monitor mode, an allowed finding (by -o akgate.allow or an akgate:allow
  // line).
  bool notify() const {
    return !accepted || bypass_used || monitored || !allowed_by_option.empty() || allowed_inline > 0;
  }
  int exit_code() const { return accepted ? 0 : 1; }
};

// The audit's word for the decision: "accept", "reject", "bypass" or
// "monitor" (would have been rejected, let through in monitor mode). The
// gateway's log uses the same words.
const char* DecisionName(const PushDecision& d);

PushDecision Decide(const PushInspection& inspection, const Policy& policy, const PushRequest& request);

// `cause` is kError or kTimeout; `what` says what failed (no secrets).
PushDecision DecideFailure(Cause cause, const std::string& what, const Policy& policy, const PushRequest& request);

// An accepted push that must be recorded and cannot be: rejected, with
// `why` (what keeps the record from being written) in d->error.
void RefuseUnrecorded(const std::string& why, PushDecision* d);

}  // namespace akgate
