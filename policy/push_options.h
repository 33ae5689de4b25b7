// What the pusher asked for with `git push -o ...`.
//
//   -o akgate.bypass="reason"    push despite blocking findings (if the
//                                policy lets this pusher bypass)
//   -o akgate.allow=<fingerprint>  allow one finding (repeatable; a
//                                comma-separated list works too)
//   -o akgate.reason="why"       why the allowed findings are not secrets
//                                (required by default, audited and notified)
//   -o akgate.verbose            also list pre-existing secrets
//   -o akgate.lang=zh-CN         the report in Simplified Chinese (or "en"),
//                                whatever the policy's [report] language
//
// git passes them to pre-receive as GIT_PUSH_OPTION_COUNT and
// GIT_PUSH_OPTION_0..N-1, only when the server sets
// receive.advertisePushOptions (the install does). Options not starting with
// "akgate." belong to someone else and are ignored; unknown "akgate." options
// and malformed values are reported back to the pusher, never fatal.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report/language.h"

namespace akgate {

struct PushOptions {
  bool bypass = false;
  std::string bypass_reason;       // control bytes removed, at most 300 bytes
  std::vector<std::string> allow;  // fingerprints, lowercase, deduplicated
  std::string reason;              // -o akgate.reason: control bytes removed, at most 300 bytes
  bool verbose = false;
  std::optional<Language> language;  // -o akgate.lang, when it names a language
  // -o akgate.lang naming none (cleaned, at most 40 bytes): the report stays
  // in the policy's language and says so in one note, in that language.
  std::string unknown_language;
  std::vector<std::string> problems;  // for the pusher: what was not understood
};

PushOptions ParsePushOptions(const std::vector<std::string>& raw);

}  // namespace akgate
