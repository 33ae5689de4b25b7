// One push through akgate, whichever way it came in: the one place a push is
// decided. Inspect the new content (git/), decide (policy/), render the
// report (report/), then record the decision (audit log) and notify. The
// pre-receive hook (hook/) and the gateway only translate their transport
// into a PushInput and the outcome's report and exit code back, so a push
// reads, decides and is recorded the same way through both.
//
//   std::unique_ptr<Gate> gate;
//   Status s = Gate::Create(policy, &gate);                 // rules compiled once
//   PushOutcome out = gate->Check(input);                   // within the time budget
//   RecordPush(policy, input, &out, audit, audit_status);   // audit, notify; may refuse
//   ... send out.report, exit / answer with out.decision.accepted ...
//
// Every rule of the decision lives here or in policy/decision.h:
//   - the time budget (BudgetFor): the check ends by check_deadline, so the
//     notifications (the reserve) still end by the deadline; a check not
//     done by then is cancelled and gets on_timeout (TimedOutPush);
//   - the fail mode: a push that cannot be checked gets on_error
//     (FailedPush); a policy that did not load always blocks;
//   - a push that only deletes refs is decided without reading anything;
//   - recording: the audit line and the notifications (RecordPush); an
//     accepted push that must be recorded (a bypass, an allowed finding, a
//     fail-open) and cannot be is refused.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/rule.h"
#include "engine/scanner.h"
#include "engine/status.h"
#include "git/push_inspector.h"
#include "git/repository.h"
#include "notify/notifier.h"
#include "policy/decision.h"
#include "policy/policy.h"
#include "report/audit_record.h"
#include "report/push_report.h"

namespace akgate {

class AuditLog;

struct PushInput {
  // The objects: null when the push carries none (the gateway, for a push
  // that only deletes refs). A null repository is accepted only when every
  // ref is a deletion or absent objects exist upstream (kExistUpstream).
  const Repository* repo = nullptr;
  std::vector<RefUpdate> refs;
  PushRequest request;                              // pusher and push options
  MissingObjects missing = MissingObjects::kError;  // the gateway: kExistUpstream
  ObjectFetcher* fetcher = nullptr;                 // the gateway: earlier versions from upstream
  std::string via = "pre-receive";                  // for the audit record
  std::string repository;                           // for the audit record; "" = the repo's path
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  InspectProgress* progress = nullptr;  // live counters (null: the gate keeps its own)
};

struct PushOutcome {
  PushInspection inspection;
  PushDecision decision;
  std::vector<std::string> report;    // lines for the pusher
  std::vector<std::string> warnings;  // for the audit record (policy warnings...)
};

// How the pusher's report reads: the policy's [report] settings and what it
// promises (a record, a notification), in the language of -o akgate.lang,
// else the policy's.
PushReportOptions ReportOptions(const Policy& policy, const PushRequest& request);

// The notification settings of a policy: its targets, console link and
// outbox (notify/notifier.h).
NotifySettings NotifySettingsOf(const Policy& policy);

// The time a push may take: the policy's time_budget from `started`. The
// notifications get the largest of the targets' timeouts (at most half the
// budget) after the check, so the check ends by check_deadline; what is not
// delivered by then waits in the outbox.
struct PushBudget {
  std::chrono::steady_clock::time_point deadline;        // everything, notifications included
  std::chrono::steady_clock::time_point check_deadline;  // inspection and decision
};
PushBudget BudgetFor(const Policy& policy, std::chrono::steady_clock::time_point started);

class Gate {
 public:
  // Loads the fingerprint key (policy.fingerprint_key_file), builds the
  // rules from the policy and compiles them. A key that cannot be loaded is
  // an error naming the file. Policy warnings (e.g. an action for an unknown
  // rule id) are kept for every outcome.
  static Status Create(const Policy& policy, std::unique_ptr<Gate>* out);

  // Inspects and decides within the budget (BudgetFor(policy, input.started)).
  // An inspection error becomes a FailedPush; a check that is not done by the
  // check deadline is cancelled and becomes a TimedOutPush. A push that only
  // deletes refs is decided on an empty inspection. Thread-safe (the gateway
  // calls it from several threads).
  PushOutcome Check(const PushInput& input) const;

  const Policy& policy() const { return policy_; }
  const Scanner& scanner() const { return *scanner_; }
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  Gate() = default;
  PushOutcome Decided(const PushInput& input, PushInspection inspection) const;
  Policy policy_;
  RuleSet rules_;
  std::unique_ptr<Scanner> scanner_;
  std::vector<std::string> warnings_;
};

// The outcome of a push that could not be checked: `cause` is kError or
// kTimeout, `what` says why (shown to the pusher and audited). `partial`
// carries whatever the inspection had counted (may be empty).
PushOutcome FailedPush(const Policy& policy, const PushInput& input, Cause cause, const std::string& what,
                       const InspectionStats& partial = {});

// The outcome of a push whose check ran out of time: on_timeout, with what
// input.progress had counted. Safe to call from another thread while the
// check is still running (the hook's watchdog).
PushOutcome TimedOutPush(const Policy& policy, const PushInput& input);

// Records the outcome: notifies (when the decision is worth it, ending by
// the budget's deadline) and writes the audit line to `audit`, which is null
// when no log is configured or `audit_open` (the result of opening it) failed.
//
// An accepted push that must be recorded (PushDecision::must_be_recorded)
// and cannot be (no audit log configured, or it cannot be opened or
// written) is refused: the outcome becomes a rejection (Cause::kUnrecorded)
// that says why, with its report rendered again. Any other failure to
// record leaves the decision alone and adds a note to the report. Returns
// the problems, for the operator's log.
std::vector<std::string> RecordPush(const Policy& policy, const PushInput& input, PushOutcome* outcome, AuditLog* audit,
                                    const Status& audit_open);

}  // namespace akgate
