// A baseline: the findings a team has reviewed and accepted for now, so that
// only new ones stop a local check (`akgate baseline`, `akgate scan
// --baseline FILE`; docs/developer.md). JSON, one entry per finding in a
// stable order (path, line, rule, fingerprint), so a change to it reads
// well in review:
//
//   {
//     "akgate_baseline": 1,
//     "fingerprint_key": "9f0c2a41d3b7e605",
//     "findings": [
//       {"fingerprint": "df12299987feb967", "rule": "alibaba-accesskey-pair",
//        "path": "app/settings.py", "line": 7, "secret": "LTAI…l7"}
//     ]
//   }
//
// No secret is in it: the fingerprint (keyed, engine/fingerprint.h) and the
// redacted form only. "fingerprint_key" names the key the fingerprints were
// made with (not the key: the first 64 bits of its HMAC of a fixed text);
// a scan with another key cannot match them and says so.
//
// An entry matches a finding with the same fingerprint at the same path
// (a leading "./" aside): the same secret copied to another file is new.
// The line is for the reader and is not compared, so edits above a finding
// do not make it new.
//
// The baseline is for local checks only: the server's hook never reads a
// file from the pushed content, so committing one cannot silence the gate.
#pragma once

#include <string>
#include <vector>

#include "engine/finding.h"
#include "engine/fingerprint.h"
#include "engine/status.h"

namespace akgate {

struct BaselineEntry {
  std::string fingerprint, rule, path, secret;
  uint32_t line = 0;
};

class Baseline {
 public:
  // Reads `file`. Every problem is an error naming the file and what is
  // wrong with it (not JSON, an entry without a fingerprint, another key).
  static Status Load(const std::string& file, const FingerprintKey& key, Baseline* out);
  // The file's text for these findings.
  static std::string Render(const std::vector<Finding>& findings, const FingerprintKey& key);

  // True (and the entry marked as used) when the baseline holds `f`.
  bool Covers(const Finding& f);
  // Entries that matched no finding of the scan: what was fixed (or moved).
  std::vector<BaselineEntry> Stale() const;
  size_t size() const { return entries_.size(); }

 private:
  std::vector<BaselineEntry> entries_;
  std::vector<bool> used_;
};

// "./a/b" -> "a/b": paths as a baseline compares them.
std::string BaselinePath(const std::string& path);

}  // namespace akgate
