// The gateway's one question to the rest of akgate: may this push go
// upstream? The answer is computed by the same code as the pre-receive hook
// (new commits and blobs, introduced-content logic, policy, audit,
// notifications, report text), so a finding reads the same whichever way a
// push came in. The gateway only adapts its inputs: a pack indexed into a
// private objects directory, with no refs, where an object that is absent
// exists upstream and is not new.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/status.h"
#include "gateway/receive_pack_request.h"
#include "git/object_fetcher.h"

namespace akgate::gateway {

struct InspectInput {
  std::string objects_dir;                // holds pack/ (empty: no pack, e.g. delete-only)
  std::vector<RefUpdate> commands;        // in the client's order
  std::vector<std::string> push_options;  // "akgate.bypass=reason", "akgate.allow=<fp>", ...
  // The upstream advertised push options, so the report may suggest
  // `git push -o`; unknown is false (never advise what may fail).
  bool push_options_accepted = false;
  std::string route;     // the route's prefix (its policy, if it has one)
  std::string repo;      // the repository path as the client named it
  std::string upstream;  // where it would go (audit)
  std::string pusher;    // a verified name (identity.h), or ""
  std::string client_address;
  // Earlier versions of changed files, from the upstream (null: not fetched).
  ObjectFetcher* fetcher = nullptr;
  // When the push's time budget began: once its body was in, before it
  // waited for a scan thread and was indexed (both count against it).
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  // The budget ran out before inspection (waiting for a scan thread, or
  // indexing): decided as a timeout without reading anything.
  bool timed_out = false;
};

struct PushVerdict {
  enum class Decision { kAllow, kBlock, kBypass, kMonitor, kError };
  Decision decision = Decision::kAllow;
  // The audit record's words for the decision ("accept", "reject", "bypass",
  // "monitor")
  // and its cause ("clean", "allowed", "findings", "error", ...), for the
  // gateway's log, so the two read alike.
  std::string decision_name = "reject", cause = "error";  // until the gate has decided
  std::string report;                                     // the human report (the hook's text); empty when clean
  std::string ref_reason;                                 // one line for every `ng` when blocked
  uint64_t commits = 0, blobs = 0, bytes = 0;
  uint64_t findings = 0;  // blocking findings
  double scan_ms = 0;
  bool forwards() const {
    return decision == Decision::kAllow || decision == Decision::kBypass || decision == Decision::kMonitor;
  }
};

// Implementations are shared by every connection and called from worker
// threads concurrently: Inspect must be thread-safe.
class GateAdapter {
 public:
  virtual ~GateAdapter() = default;
  virtual PushVerdict Inspect(const InspectInput& input) = 0;
  // When the check of a push through `route` that began at `started` must
  // end (the policy's time budget, less the notifications' reserve).
  virtual std::chrono::steady_clock::time_point CheckDeadline(const std::string& route,
                                                              std::chrono::steady_clock::time_point started) const = 0;
  // Rights the policies grant to named pushers ("[bypass] who = alice, bob"
  // per policy and route): they need an identity source (identity.h).
  virtual std::vector<std::string> NameBasedRights() const = 0;
};

struct GateAdapterOptions {
  // The hook's server-wide policy file (rules, allowlists, bypass, audit,
  // notifications). Empty: /etc/akgate/policy.toml if present, else defaults.
  std::string policy_file;
  // The fingerprint key ([inspect] fingerprint_key); empty: fingerprint.key
  // next to the server-wide policy file, as the hook reads it.
  std::string fingerprint_key_file;
  // Routes with a policy of their own: prefix -> file laid over policy_file.
  std::map<std::string, std::string> route_policies;
};

// The production adapter (akgate's git layer, engine, policy and reports).
Status CreateGateAdapter(const GateAdapterOptions& options, std::unique_ptr<GateAdapter>* out);

}  // namespace akgate::gateway
