// What has already leaked: a repository's whole history, scanned as if every
// branch and tag were pushed into an empty repository (push_inspector.h with
// no ref hiding anything), so the history scan and the hook share one
// meaning of "introduced" and one reader.
//
//   HistoryOptions o;
//   HistoryScan result;
//   Status s = ScanHistory(repo, scanner, o, &result);
//
// Covered: every blob reachable from the chosen refs (branches, tags and
// remote-tracking branches by default; every ref with all_refs), each read
// and scanned once however many commits and paths share it, plus commit and
// annotated-tag messages; with all_objects, every blob in the object
// database that no ref reaches. Objects a partial or shallow clone lacks are
// skipped and counted (MissingObjects::kSkip), never fatal.
//
// Per secret (one finding however many blobs hold it): the commit that first
// introduced it (its oldest introducing commit, parents before children),
// the path, author and date; how many blobs, commits and paths hold it; the
// refs whose history holds that commit; and which branch tips still hold the
// secret (a finding no tip holds is in history only, but still leaked).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/scanner.h"
#include "engine/status.h"
#include "git/push_inspection.h"
#include "git/repository.h"

namespace akgate {

struct HistoryOptions {
  bool all_refs = false;     // every ref (pull-request refs, notes, stash...), not only branches and tags
  bool all_objects = false;  // also blobs no ref reaches (every object in the packs and loose)
  unsigned threads = 0;      // 0: automatic
  const std::atomic<bool>* cancel = nullptr;
  InspectProgress* progress = nullptr;
  size_t max_skipped_examples = 10;
};

struct TipPresence {
  std::string ref;   // a branch whose tip still holds the secret
  std::string path;  // where in that tip (the first path found)
};

struct HistoryFinding {
  PushFinding found;                   // the first introduction; found.commit, finding.path
  std::vector<std::string> reachable;  // refs whose history holds found.commit (names, sorted)
  std::vector<TipPresence> in_tips;    // branch tips that still hold it
  bool in_history_only() const { return in_tips.empty(); }
};

struct HistoryScan {
  std::string repository;
  std::vector<std::string> refs;  // the refs scanned, sorted
  std::vector<HistoryFinding> findings;
  InspectionStats stats;  // stats.unreachable_blobs: with all_objects, the blobs no ref reaches
  // Absent objects are expected in a partial clone (extensions.partialClone)
  // or a shallow one; in any other repository they are damage (git fsck).
  bool partial = false;
  bool shallow = false;
  bool damaged() const {
    return !partial && !shallow && (stats.absent_commits || stats.absent_trees || stats.skipped.count("missing"));
  }
};

// The refs a history scan starts from, as "create" updates (all zeros to
// the ref's target), sorted by name. Symbolic refs (HEAD, origin/HEAD) are
// left out; their targets are listed under their own names. A detached
// HEAD is a ref of its own.
Status HistoryRefs(const Repository& repo, bool all_refs, std::vector<RefUpdate>* out);

Status ScanHistory(const Repository& repo, const Scanner& scanner, const HistoryOptions& options, HistoryScan* out);

}  // namespace akgate
