// `akgate pre-receive`: git's pre-receive hook protocol, on top of the gate.
//
// git runs it inside the repository with the ref updates on stdin and the
// pushed objects in quarantine (hook_environment.h). It reads the policy,
// inspects exactly what the push introduces, prints the report on stderr
// (git shows it as `remote: ...`), notifies, writes the audit line and exits
// 0 (accept) or 1 (reject). It changes nothing in the repository.
//
// The whole run is bounded by the policy's time budget (watchdog.h): past it
// the push gets on_timeout, is reported, audited and notified, and the
// process exits. Any other failure (broken policy, malformed stdin, an
// unreadable object) gets on_error the same way. Never a crash or a hang.
#pragma once

#include <string>

namespace akgate {

struct PreReceiveOptions {
  std::string policy;  // overrides $AKGATE_POLICY and /etc/akgate/policy.toml
  // Overrides $AKGATE_FINGERPRINT_KEY and fingerprint.key next to the policy.
  std::string fingerprint_key;
};

int RunPreReceive(const PreReceiveOptions& options);

}  // namespace akgate
