// What the pusher asked for with `git push -o ...`.
//
//   -o akgate.bypass="reason"    push despite blocking findings (if the
//                                policy lets this pusher bypass)
//   -o akgate.allow=<fingerprint>  allow one finding (repeatable; a
//                                comma-separated list works too)
//   -o akgate.reason="why"       why the allowed findings are not secrets
//                                (required by default, audited and notified)
//   -o akgate.verbose            also list pre-existing secrets
//
// git passes them to pre-receive as GIT_PUSH_OPTION_COUNT and
// GIT_PUSH_OPTION_0..N-1, only when the server sets
// receive.advertisePushOptions (the install does). Options not starting with
// "akgate." belong to someone else and are ignored; unknown "akgate." options
// and malformed values are reported back to the pusher, never fatal.
#pragma once

#include <string>
#include <vector>

namespace akgate {

struct PushOptions {
  bool bypass = false;
  std::string bypass_reason;           // control bytes removed, at most 300 bytes
  std::vector<std::string> allow;      // fingerprints, lowercase, deduplicated
  std::string reason;                  // -o akgate.reason: control bytes removed, at most 300 bytes
  bool verbose = false;
  std::vector<std::string> problems;   // for the pusher: what was not understood
};

PushOptions ParsePushOptions(const std::vector<std::string>& raw);

}  // namespace akgate
