// The decision: may this push go in? From the inspection's findings, the
// policy and what the pusher asked for (push options).
//
// Per finding, in this order:
//   pre-existing (already in the parent's version of the file) -> not blocking
//   fingerprint in the policy's allowlist                      -> allowed
//   fingerprint given with -o akgate.allow, pusher permitted   -> allowed
//   otherwise the rule's action (after [rules.actions])        -> block / warn
// Then for the push: any blocking finding rejects it, unless the pusher asked
// for a bypass and the policy lets them (with a reason when required).
//
// A push that could not be checked (error, timeout) gets DecideFailure: the
// policy's on_error / on_timeout, which a permitted bypass can also override.
#pragma once

#include <string>
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
  kBlocks,            // blocking finding
  kWarns,             // reported, does not block
  kAllowedByPolicy,   // fingerprint in the policy's allowlist
  kAllowedByOption,   // -o akgate.allow=<fingerprint>
  kPreExisting,       // already there before this push
  kOff,               // its rule is off
};
const char* DispositionName(Disposition d);  // "block", "warn", "allowed", ...

// Why the push was accepted or rejected.
enum class Cause {
  kClean,      // nothing found (accepted)
  kWarnings,   // only warnings (accepted)
  kFindings,   // blocking findings (rejected)
  kBypassed,   // blocking findings, bypassed (accepted)
  kError,      // could not be checked: on_error applied
  kTimeout,    // not checked in time: on_timeout applied
};
const char* CauseName(Cause c);

struct PushDecision {
  bool accepted = true;
  Cause cause = Cause::kClean;
  std::vector<Disposition> dispositions;  // one per inspection finding
  uint64_t blocking = 0, warnings = 0, allowed = 0, pre_existing = 0;

  std::string error;                      // kError / kTimeout: what went wrong
  FailMode fail_mode = FailMode::kBlock;  // kError / kTimeout: what was applied

  std::string pusher;
  bool bypass_requested = false;
  bool bypass_used = false;
  std::string bypass_reason;
  std::string bypass_refused;             // why a requested bypass was refused
  bool may_bypass = false;                // the policy lets this pusher bypass (report hint)
  bool may_allow = false;                 // ... and use -o akgate.allow
  std::vector<std::string> allowed_by_option;  // fingerprints -o akgate.allow allowed
  std::vector<std::string> allow_unused;       // given but matching no finding
  std::string allow_refused;              // why -o akgate.allow was not honoured
  bool verbose = false;                   // list pre-existing findings too
  bool push_options_accepted = true;      // the report may suggest `git push -o`
  std::vector<std::string> notes;         // for the pusher: push option problems, policy warnings

  // Events worth a notification: a block, a bypass, an allowed finding.
  bool notify() const { return !accepted || bypass_used || !allowed_by_option.empty(); }
  int exit_code() const { return accepted ? 0 : 1; }
};

PushDecision Decide(const PushInspection& inspection, const Policy& policy, const PushRequest& request);

// `cause` is kError or kTimeout; `what` says what failed (no secrets).
PushDecision DecideFailure(Cause cause, const std::string& what, const Policy& policy, const PushRequest& request);

}  // namespace akgate
