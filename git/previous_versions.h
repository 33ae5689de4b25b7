// The previous versions of a file with findings: is a secret found in a
// pushed file new, or was it already in that file before this push?
// The inspector's stage 4 (push_inspector.h).
//
// A finding is pre-existing when every part's fingerprint (for a pair: the
// ID's and the secret's) is among the fingerprints of a previous version of
// the same path.
// Previous versions are scanned only here, only for files with findings, and
// each blob once (cached).
//
// In the hook every previous version is in the repository. The gateway holds
// only the pushed pack: a version whose commit or trees live upstream is
// fetched (Resolve, through an ObjectFetcher), in at most a few rounds
// (commits, then trees, then the blobs). What cannot be fetched stays
// unknown, and its findings count as introduced (fail closed).
#pragma once

#include <git2/oid.h>

#include <atomic>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "engine/scanner.h"
#include "engine/status.h"
#include "git/object_fetcher.h"
#include "git/oid_map.h"
#include "git/push_inspection.h"
#include "git/repository.h"

namespace akgate {

using FingerprintSet = std::unordered_set<std::string>;

// One file whose previous versions are wanted: `path` in the parents of a
// new commit. Resolve fills `found` (the blob at `path` in each parent that
// has a file there) and sets `resolved` when every parent could be read.
struct PreviousLookup {
  std::string path;
  std::vector<git_oid> parents;
  std::vector<git_oid> found;
  bool resolved = false;
};

class PreviousVersions {
 public:
  // `fetcher` may be null (the hook): nothing is fetched. `stats` counts the
  // versions scanned and the fetches made. All must outlive this object.
  PreviousVersions(const Repository& repo, const Scanner& scanner, ScanScratch& scratch, ObjectFetcher* fetcher,
                   const std::atomic<bool>* cancel, InspectionStats* stats);

  // The fingerprints in blob `id` scanned as `path` (cached by blob). Null
  // when that version cannot be compared (absent, oversize, skipped).
  const FingerprintSet* Fingerprints(const git_oid& id, const std::string& path);

  // Is every part of `f` in `fps`? (A pair's own fingerprint is its ID's: not enough.)
  static bool FoundIn(const Finding& f, const FingerprintSet& fps);

  // Looks up each file in its parents, fetching what is not here (with a
  // fetcher). Lookups left unresolved have versions that could not be read;
  // `*unavailable` then says why. An error only when cancelled.
  Status Resolve(std::vector<PreviousLookup>* todo, std::string* unavailable);

 private:
  enum class Walk { kBlob, kAbsent, kMissing, kUnreadable };
  Walk WalkPath(const git_oid& commit, const std::string& path, git_oid* blob, FetchWants* wants);
  Status FetchInto(FetchWants wants);

  const Repository& repo_;
  const Scanner& scanner_;
  ScanScratch& scratch_;
  ObjectFetcher* fetcher_;
  const std::atomic<bool>* cancel_;
  InspectionStats* stats_;
  OidMap<std::unique_ptr<FingerprintSet>> cache_;
};

}  // namespace akgate
