// One push through akgate, whichever way it came in: inspect the new content
// (git/), decide (policy/), render the report (report/), then record the
// decision (audit log) and notify. The pre-receive hook (hook/) and the
// gateway are thin programs around these calls, so a push reads, decides
// and is recorded the same way through both.
//
//   Gate gate;
//   Status s = Gate::Create(policy, &gate);                // rules compiled once
//   PushOutcome out = gate->Check(input);                  // no output, no I/O but reads
//   std::vector<std::string> problems = RecordPush(policy, input, &out, audit, deadline);
//
// When the check cannot even start (broken policy, bad input) or runs out of
// time, FailedPush builds the outcome from the policy's on_error / on_timeout.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/rule.h"
#include "engine/scanner.h"
#include "engine/status.h"
#include "git/push_inspector.h"
#include "git/repository.h"
#include "policy/decision.h"
#include "policy/policy.h"
#include "report/audit_record.h"

namespace akgate {

class AuditLog;

struct PushInput {
  const Repository* repo = nullptr;
  std::vector<RefUpdate> refs;
  PushRequest request;                          // pusher and push options
  MissingObjects missing = MissingObjects::kError;  // the gateway: kExistUpstream
  ObjectFetcher* fetcher = nullptr;             // the gateway: earlier versions from upstream
  std::string via = "pre-receive";              // for the audit record
  std::string repository;                       // for the audit record; "" = the repo's path
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  const std::atomic<bool>* cancel = nullptr;
  InspectProgress* progress = nullptr;
};

struct PushOutcome {
  PushInspection inspection;
  PushDecision decision;
  std::vector<std::string> report;              // lines for the pusher
  std::vector<std::string> warnings;            // for the audit record (policy warnings...)
};

class Gate {
 public:
  // Builds the rules from the policy and compiles them. Policy warnings
  // (e.g. an action for an unknown rule id) are kept for every outcome.
  static Status Create(const Policy& policy, std::unique_ptr<Gate>* out);

  // Inspects and decides. An inspection error becomes a FailedPush.
  // Thread-safe (the gateway calls it from several threads).
  PushOutcome Check(const PushInput& input) const;

  const Policy& policy() const { return policy_; }
  const Scanner& scanner() const { return *scanner_; }
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  Gate() = default;
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

// Notifies (when the decision is worth it) and writes the audit line.
// Nothing here changes the decision; returns problems worth telling the
// pusher (the audit log could not be written). `audit` may be null (no log
// configured). Notifications end by `deadline`.
std::vector<std::string> RecordPush(const Policy& policy, const PushInput& input, PushOutcome* outcome,
                                    AuditLog* audit, std::chrono::steady_clock::time_point deadline);

}  // namespace akgate
