// The production GateAdapter: the gate over a pushed pack. This file only
// translates: the gateway's InspectInput into a PushInput, the gate's
// outcome into a PushVerdict. Every rule of the decision (time budget, fail
// mode, pushes without objects, recording) is the gate's (gate/push_gate.h).
//
//   pack objects dir --OpenObjectsOnly--> Repository (no refs; an absent
//   object exists upstream) --Gate::Check--> inspection, decision, report
//   --RecordPush--> audit line and notifications
#include "gateway/gate_adapter.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <map>

#include "gate/push_gate.h"
#include "git/repository.h"
#include "notify/audit_log.h"
#include "policy/decision.h"
#include "policy/policy.h"
#include "policy/push_options.h"

namespace akgate::gateway {

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr size_t kObjectCacheBytes = size_t{16} << 20;

class PolicyGateAdapter : public GateAdapter {
 public:
  PolicyGateAdapter(Policy policy, std::unique_ptr<Gate> gate, std::shared_ptr<AuditLog> audit)
      : policy_(std::move(policy)), gate_(std::move(gate)), audit_(std::move(audit)) {}

  PushVerdict Inspect(const InspectInput& in) override {
    PushInput input;
    input.started = in.started;  // the wait for a scan thread and the indexing count too
    input.via = "gateway";
    input.repository = in.upstream + (in.repo.rfind('/', 0) == 0 ? in.repo.substr(1) : in.repo);
    input.missing = MissingObjects::kExistUpstream;
    input.fetcher = in.fetcher;
    input.refs = in.commands;
    input.request.pusher = in.pusher;
    input.request.options = ParsePushOptions(in.push_options);
    input.request.push_options_accepted = in.push_options_accepted;
    PushOutcome outcome;
    std::unique_ptr<Repository> repo;
    Status s;
    if (!in.objects_dir.empty()) {
      RepositoryOptions ro;
      // Several pushes are inspected at once, each on up to four threads:
      // a smaller object cache per thread than the hook's bounds the
      // gateway's memory (the pack itself stays on disk, mapped).
      ro.object_cache_bytes = kObjectCacheBytes;
      s = Repository::OpenObjectsOnly(in.objects_dir, ro, &repo);
    }
    if (in.timed_out) {
      outcome = TimedOutPush(policy_, input);
    } else if (!s.ok()) {
      outcome = FailedPush(policy_, input, Cause::kError, s.message());
    } else {
      input.repo = repo.get();  // null without a pack (a push that only deletes)
      outcome = gate_->Check(input);
    }
    for (const std::string& p : RecordPush(policy_, input, &outcome, audit_.get(), Status::Ok()))
      spdlog::error("audit_failed error=\"{}\"", p);

    PushVerdict v;
    for (const std::string& line : outcome.report) v.report += line + "\n";
    const PushDecision& d = outcome.decision;
    v.commits = outcome.inspection.stats.commits;
    v.blobs = outcome.inspection.stats.blobs_scanned;
    v.bytes = outcome.inspection.stats.bytes_scanned;
    v.findings = d.blocking;
    v.decision_name = DecisionName(d);
    v.cause = CauseName(d.cause);
    v.scan_ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - input.started).count();
    if (!d.accepted) {
      bool failure = d.cause == Cause::kError || d.cause == Cause::kTimeout;
      v.decision = failure ? PushVerdict::Decision::kError : PushVerdict::Decision::kBlock;
      // What git prints after "! [remote rejected] <ref>", like the hook's
      // "(pre-receive hook declined)".
      v.ref_reason = failure ? "akgate could not check this push" : "akgate: push contains secrets";
    } else {
      v.decision = d.bypass_used ? PushVerdict::Decision::kBypass
                   : d.monitored ? PushVerdict::Decision::kMonitor
                                 : PushVerdict::Decision::kAllow;
    }
    return v;
  }

  SteadyClock::time_point CheckDeadline(const std::string&, SteadyClock::time_point started) const override {
    return BudgetFor(policy_, started).check_deadline;
  }

  std::vector<std::string> NameBasedRights() const override {
    std::vector<std::string> out;
    auto named = [&out](const char* what, const std::vector<std::string>& who) {
      std::string names;
      for (const std::string& w : who)
        if (w != "*") names += (names.empty() ? "" : ", ") + w;
      if (!names.empty()) out.push_back(std::string(what) + " " + names);
    };
    named("[bypass] who =", policy_.bypass_who);
    named("[bypass] allow_who =", policy_.allow_who);
    return out;
  }

 private:
  Policy policy_;
  std::unique_ptr<Gate> gate_;
  std::shared_ptr<AuditLog> audit_;
};

// The adapter of the push's route when it has a policy of its own, else
// the server-wide one.
struct RoutedGateAdapter : GateAdapter {
  std::unique_ptr<PolicyGateAdapter> fallback;
  std::map<std::string, std::unique_ptr<PolicyGateAdapter>> by_route;

  PushVerdict Inspect(const InspectInput& input) override {
    auto it = by_route.find(input.route);
    return (it != by_route.end() ? *it->second : *fallback).Inspect(input);
  }
  SteadyClock::time_point CheckDeadline(const std::string& route, SteadyClock::time_point started) const override {
    auto it = by_route.find(route);
    return (it != by_route.end() ? *it->second : *fallback).CheckDeadline(route, started);
  }
  std::vector<std::string> NameBasedRights() const override {
    std::vector<std::string> out = fallback->NameBasedRights();
    for (const auto& [prefix, adapter] : by_route)
      for (const std::string& r : adapter->NameBasedRights()) out.push_back("route " + prefix + ": " + r);
    return out;
  }
};

}  // namespace

Status CreateGateAdapter(const GateAdapterOptions& options, std::unique_ptr<GateAdapter>* out) {
  // Audit logs by path: routes whose policies name the same file share one.
  std::map<std::string, std::shared_ptr<AuditLog>> audits;
  auto make = [&](const std::string& route_policy, std::unique_ptr<PolicyGateAdapter>* made) -> Status {
    Policy policy;
    policy.fingerprint_key_file = options.fingerprint_key_file;  // "": next to the policy file
    PolicyFiles files;
    if (!options.policy_file.empty()) {
      files.server = options.policy_file;
      files.server_required = true;
    }
    files.repository = route_policy;
    files.repository_required = true;
    Status s = LoadPolicy(files, &policy);
    if (!s.ok()) return s;
    std::unique_ptr<Gate> gate;
    s = Gate::Create(policy, &gate);
    if (!s.ok()) return s;
    for (const std::string& w : gate->warnings()) spdlog::warn("policy_warning message=\"{}\"", w);
    std::shared_ptr<AuditLog>& audit = audits[policy.audit_log];
    if (!policy.audit_log.empty() && !audit) {
      std::unique_ptr<AuditLog> opened;
      s = AuditLog::Open(policy.audit_log, &opened);
      if (!s.ok()) return s;
      audit = std::move(opened);
    }
    *made = std::make_unique<PolicyGateAdapter>(std::move(policy), std::move(gate), audit);
    return Status::Ok();
  };
  auto routed = std::make_unique<RoutedGateAdapter>();
  Status s = make("", &routed->fallback);
  if (!s.ok()) return s;
  for (const auto& [prefix, file] : options.route_policies) {
    s = make(file, &routed->by_route[prefix]);
    if (!s.ok()) return Status::InvalidArgument("route " + prefix + ": " + s.message());
  }
  *out = std::move(routed);
  return Status::Ok();
}

}  // namespace akgate::gateway
