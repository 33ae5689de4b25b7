// The audit record of one push decision: one JSON object, written as one
// line to the audit log and sent (with an "event") to notification
// receivers. Secrets appear only redacted and as fingerprints.
//
//   {"time":"2026-11-28T15:22:29.123Z","tool":"akgate 0.1.0","via":"pre-receive",
//    "repo":"/srv/git/app.git","pusher":"alice",
//    "refs":[{"ref":"refs/heads/main","old":"…","new":"…"}],
//    "commits":3,"tags":0,"blobs":12,"blobs_scanned":11,"bytes_scanned":45213,
//    "skipped":{"binary":1},"duration_ms":41.5,
//    "decision":"reject","cause":"findings","blocking":1,"warnings":0,
//    "findings":[{"rule":"alibaba-accesskey-pair","provider":"Alibaba Cloud",
//                 "path":"config/prod.yml","line":12,"commit":"<40 hex>",
//                 "source":"file","fingerprint":"0123456789abcdef",
//                 "redacted":["LTAI…9Q","abcd…Zz"],"disposition":"block"}],
//    "bypass_reason":null,"allowed_fingerprints":[],"allow_reason":null,
//    "allowed_inline":0,"error":null}
//
// The full format is documented in docs/hook.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "git/push_inspection.h"
#include "policy/decision.h"

namespace akgate {

struct AuditContext {
  std::string via = "pre-receive";  // or "gateway"
  std::string repository;
  double duration_ms = 0;                 // the whole check, start to decision
  std::vector<std::string> policy_files;  // the policy files read
  std::vector<std::string> warnings;      // policy warnings, notification failures...
  size_t max_findings = 1000;             // findings listed in the record
};

// ISO 8601 UTC with milliseconds, e.g. "2026-11-28T15:22:29.123Z".
std::string UtcNow();

nlohmann::json AuditRecord(const PushInspection& inspection, const PushDecision& decision, const AuditContext& ctx);

// "block", "bypass", "monitor" (let through in monitor mode), "allow" (a finding allowed by -o akgate.allow or an
// akgate:allow line) or "" when nothing is worth a notification
// (PushDecision::notify). Goes into the notification as "event".
std::string NotificationEvent(const PushDecision& decision);

}  // namespace akgate
