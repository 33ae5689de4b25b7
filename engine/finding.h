// What the engine reports: findings and per-fragment results.
//
// A finding never holds a secret in full: only its redacted form and a
// fingerprint (see redact.h, fingerprint.h). Everything downstream (reports, audit logs,
// the hook, the gateway) works from these values.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/rule.h"

namespace akgate {

// Where one part of a finding sits in its fragment. Lines and columns are
// 1-based; column counts bytes. For a value found inside decoded content
// (base64), the location is that of the encoded token.
struct Location {
  static constexpr uint64_t kWholeFile = ~uint64_t{0};  // path-only rules: no line
  uint32_t line = 0;
  uint32_t column = 0;
  uint64_t offset = 0;
};

struct FindingPart {
  std::string name;  // "AccessKey ID"; the rule's description for single rules
  std::string rule_id;
  Location location;
  std::string redacted;     // e.g. "LTAI…9Q"; "(12 characters)" for a password
  std::string fingerprint;  // this part's credential: (provider, value), keyed (fingerprint.h)
  // In memory only, never shown: the fingerprint of akgate before 0.2, so
  // allowlist entries written with it still match (fingerprint.h).
  std::string legacy_fingerprint;
};

struct Finding {
  std::string rule_id;  // the single rule or the pair rule
  std::string description;
  std::string provider;
  Action action = Action::kWarn;
  std::string path;                // the fragment's path (as given by the caller)
  std::vector<FindingPart> parts;  // one for a single rule; one per present part for a pair
  std::string fingerprint;         // which credential: a pair's is its first part's (fingerprint.h)
  std::string legacy_fingerprint;  // in memory only, never shown: the pre-0.2 fingerprint
  std::string encoding;            // "", "base64", "utf-16le", "utf-16be": how the secret was hidden
  std::string member;              // inside a compressed file or archive: the member's path
                                   // ("conf/.env"; nested: "inner.tar!conf/.env"); path ends "!member"
  bool inline_allowed = false;     // a part's line carries an akgate:allow mark (see FragmentResult)
  bool is_pair() const { return parts.size() > 1; }
  const Location& location() const { return parts.front().location; }
  const std::string& redacted() const { return parts.front().redacted; }
};

// Why a fragment was not scanned. kNone means it was.
enum class SkipReason {
  kNone,
  kOversize,
  kBinary,
  kMinified,
  kAllowlistedPath,
  // Inside compressed files and archives (archive.h): content that may hold
  // a secret and could not be read; reported as unscannable content too.
  kEncrypted,
  kUnreadableArchive,
  kArchiveTooLarge,
  kCompressionRatio,
  kNestedTooDeep,
};
const char* SkipReasonName(SkipReason r);  // "oversize", "binary", ...

// A member of a compressed file or archive that was not scanned (an empty
// member: the container itself, or the rest of it).
struct UnscannedMember {
  std::string member;
  SkipReason reason = SkipReason::kNone;
};

struct FragmentResult {
  SkipReason skipped = SkipReason::kNone;
  std::vector<UnscannedMember> unscanned;  // inside archives; the fragment itself was opened
  std::vector<Finding> findings;           // allowed findings removed, sorted by offset
  // Findings on a line marked akgate:allow: not in `findings` (a file scan
  // passes them), kept here, marked, for the push gate, whose policy
  // decides whether such a mark is honoured.
  std::vector<Finding> inline_allowed_findings;
  uint32_t inline_allowed = 0;       // inline_allowed_findings.size()
  uint32_t fingerprint_allowed = 0;  // findings suppressed by a fingerprint allowlist
  // Entries of the rules' fingerprint allowlist that matched in their pre-0.2
  // form: (the entry, the finding's fingerprint now), to tell the
  // administrators what to replace it with.
  std::vector<std::pair<std::string, std::string>> legacy_allowlist;
  uint64_t decoded_bytes = 0;     // bytes produced by decoders
  uint64_t pair_comparisons = 0;  // pairing's work (see pairing.h): linear in the input
};

}  // namespace akgate
