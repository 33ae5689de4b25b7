// The production PushInspector: the hook's gate over a pushed pack.
//
//   pack objects dir --OpenObjectsOnly--> Repository (no refs; an absent
//   object exists upstream) --Gate::Check--> inspection, decision, report
//   --RecordPush--> audit line and notifications
//
// The policy's time budget is enforced by cancelling the inspection (a
// gateway cannot end its process as the hook does); a cancelled check is a
// timeout and gets the policy's on_timeout.
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "gate/push_gate.h"
#include "gateway/push_inspector.h"
#include "git/repository.h"
#include "notify/audit_log.h"
#include "policy/decision.h"
#include "policy/policy.h"
#include "policy/push_options.h"

namespace akgate::gateway {

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr size_t kObjectCacheBytes = size_t{16} << 20;

// Sets *flag at `deadline` unless destroyed first.
class CancelAt {
 public:
  CancelAt(SteadyClock::time_point deadline, std::atomic<bool>* flag)
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

SteadyClock::duration Seconds(double s) {
  return std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(s));
}

class GateInspector : public PushInspector {
 public:
  GateInspector(Policy policy, std::unique_ptr<Gate> gate, std::shared_ptr<AuditLog> audit)
      : policy_(std::move(policy)), gate_(std::move(gate)), audit_(std::move(audit)) {}

  PushVerdict Inspect(const InspectInput& in) override {
    PushInput input;
    input.started = in.started;  // the wait for a scan thread and the indexing count too
    input.via = "gateway";
    input.repository = in.upstream + (in.repo.rfind('/', 0) == 0 ? in.repo.substr(1) : in.repo);
    input.missing = MissingObjects::kExistUpstream;
    input.fetcher = in.fetcher;
    for (const RefCommand& c : in.commands) input.refs.push_back({c.old_oid, c.new_oid, c.ref});
    input.request.pusher = in.pusher;
    input.request.options = ParsePushOptions(in.push_options);
    std::atomic<bool> cancel{false};
    InspectProgress progress;
    input.cancel = &cancel;
    input.progress = &progress;
    // Notifications get up to half the budget after the check, as in the hook.
    double reserve = 0;
    if (!policy_.webhook_url.empty()) reserve = std::max(reserve, policy_.webhook_timeout);
    if (!policy_.notify_command.empty()) reserve = std::max(reserve, policy_.command_timeout);
    reserve = std::min(reserve, policy_.time_budget / 2);
    auto deadline = input.started + Seconds(policy_.time_budget);

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
    } else if (!repo) {
      // No pack (delete-only): nothing new, but still decided and recorded.
      outcome = CheckWithoutObjects(input);
    } else {
      input.repo = repo.get();
      {
        CancelAt timer(deadline - Seconds(reserve), &cancel);
        outcome = gate_->Check(input);
      }
      if (cancel.load()) {
        InspectionStats partial;
        partial.commits = progress.commits.load();
        partial.blobs = progress.blobs.load();
        partial.bytes_scanned = progress.bytes.load();
        char budget[32];
        std::snprintf(budget, sizeof budget, "%g s", policy_.time_budget);
        outcome = FailedPush(policy_, input, Cause::kTimeout,
                             std::string("the check took longer than its time budget of ") + budget +
                                 " (time_budget in the policy)",
                             partial);
  SteadyClock::time_point CheckDeadline(const std::string& route, SteadyClock::time_point started) const override {
    auto it = by_route.find(route);
    return (it != by_route.end() ? *it->second : *fallback).CheckDeadline(route, started);
  }
  std::vector<std::string> NameBasedRights() const override {
    std::vector<std::string> out = fallback->NameBasedRights();
    for (const auto& [prefix, inspector] : by_route)
      for (const std::string& r : inspector->NameBasedRights()) out.push_back("route " + prefix + ": " + r);
    return out;
  }
      }
    }
    std::vector<std::string> problems = RecordPush(policy_, input, &outcome, audit_.get(), deadline);
    for (const std::string& p : problems) {
      spdlog::error("audit_failed error=\"{}\"", p);
      outcome.report.push_back("akgate: note: this decision was not recorded: " + p);
    }

    PushVerdict v;
    for (const std::string& line : outcome.report) v.report += line + "\n";
    const PushDecision& d = outcome.decision;
    v.commits = outcome.inspection.stats.commits;
    v.blobs = outcome.inspection.stats.blobs_scanned;
    v.bytes = outcome.inspection.stats.bytes_scanned;
    v.findings = d.blocking;
    v.scan_ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - input.started).count();
    if (!d.accepted) {
      bool failure = d.cause == Cause::kError || d.cause == Cause::kTimeout;
      v.decision = failure ? PushVerdict::Decision::kError : PushVerdict::Decision::kBlock;
      // What git prints after "! [remote rejected] <ref>", like the hook's
      // "(pre-receive hook declined)".
      v.ref_reason = failure ? "akgate could not check this push" : "akgate: push contains secrets";
    } else {
      v.decision = d.bypass_used ? PushVerdict::Decision::kBypass : PushVerdict::Decision::kAllow;
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

  Policy policy_;
  std::unique_ptr<Gate> gate_;
  std::shared_ptr<AuditLog> audit_;
};

// The inspector of the push's route when it has a policy of its own, else
// the server-wide one.
struct RoutedInspector : PushInspector {
  std::unique_ptr<GateInspector> fallback;
  std::map<std::string, std::unique_ptr<GateInspector>> by_route;

  PushVerdict Inspect(const InspectInput& input) override {
    auto it = by_route.find(input.route);
    return (it != by_route.end() ? *it->second : *fallback).Inspect(input);
  }
};

}  // namespace

Status CreatePushInspector(const InspectorOptions& options, std::unique_ptr<PushInspector>* out) {
  // Audit logs by path: routes whose policies name the same file share one.
  std::map<std::string, std::shared_ptr<AuditLog>> audits;
  auto make = [&](const std::string& route_policy, std::unique_ptr<GateInspector>* made) -> Status {
    Policy policy;
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
    if (!s.ok()) return Status::Error("cannot load the rules: " + s.message());
    for (const std::string& w : gate->warnings()) spdlog::warn("policy_warning message=\"{}\"", w);
    std::shared_ptr<AuditLog>& audit = audits[policy.audit_log];
    if (!policy.audit_log.empty() && !audit) {
      std::unique_ptr<AuditLog> opened;
      s = AuditLog::Open(policy.audit_log, &opened);
      if (!s.ok()) return s;
      audit = std::move(opened);
    }
    *made = std::make_unique<GateInspector>(std::move(policy), std::move(gate), audit);
    return Status::Ok();
  };
  auto routed = std::make_unique<RoutedInspector>();
  Status s = make("", &routed->fallback);
  if (!s.ok()) return s;
  for (const auto& [prefix, file] : options.route_policies) {
    s = make(file, &routed->by_route[prefix]);
    if (!s.ok()) return Status::Error("route " + prefix + ": " + s.message());
  }
  *out = std::move(routed);
  return Status::Ok();
}

}  // namespace akgate::gateway
