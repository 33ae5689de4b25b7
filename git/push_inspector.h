// Inspecting a push: from ref updates to the findings it introduces.
//
//   1. new_objects.h   which commits, tags and tagged objects are new
//   2. tree_diff.h     which files each new commit introduces
//   3. blob_scanner.h  each distinct blob read once (in pack order, size
//                      checked first, on a few threads) and scanned once,
//                      however many commits and paths share it; here:
//                      the Git LFS objects behind pushed LFS pointers
//                      (lfs_store.h), commit and tag messages scanned too
//   4. previous_versions.h  each finding checked against the previous
//                      version(s) of its file: a secret already there is
//                      pre-existing (a version the push does not carry is
//                      fetched first when there is a fetcher: object_fetcher.h)
//   5. here            findings grouped by secret, oldest commit first
//
//   InspectOptions o;
//   PushInspection result;
//   Status s = InspectPush(repo, scanner, updates, o, &result);
//
// What counts as "introduced": a finding in an introduced file whose
// fingerprint (or every part's fingerprint, for a pair) is not in any previous
// version of that file. A secret added by one commit and removed by a later
// commit of the same push is introduced by the first: it is in history.
//
// Only the pre-existing check reads old content, and only for blobs that
// have findings: old content is never scanned otherwise.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "engine/scanner.h"
#include "engine/status.h"
#include "git/new_objects.h"
#include "git/object_fetcher.h"
#include "git/push_inspection.h"
#include "git/ref_update.h"
#include "git/repository.h"

namespace akgate {

struct InspectOptions {
  MissingObjects missing = MissingObjects::kError;
  const std::atomic<bool>* cancel = nullptr;  // stop early (returns an error)
  InspectProgress* progress = nullptr;
  unsigned threads = 0;  // blob reading and scanning; 0: automatic
  size_t max_skipped_examples = 10;
  // Where previous versions the push does not carry come from (the gateway:
  // its upstream). Null: they stay unknown and findings in them count as new.
  ObjectFetcher* fetcher = nullptr;
  // Git LFS (lfs_store.h): the object behind each pushed pointer is scanned
  // under the pointer's path when it is in a store: the repository's own
  // lfs/objects (not in objects-only mode) or one of these GitLab storage
  // directories. A pointer whose object is in none is a failure to check
  // (an error) when lfs_missing_blocks, else skipped as "lfs-missing".
  std::vector<std::string> lfs_gitlab_storage;
  bool lfs_missing_blocks = true;
  // The history scan (history_scan.h): every commit the updates' tips reach
  // is new (no existing ref hides any), and these blobs, which no ref
  // reaches, are scanned too (SourceKind::kUnreachable).
  bool hide_existing_refs = true;
  std::vector<git_oid> unreachable_blobs;
  // A push seen from the client (akgate scan A..B, --staged, the pre-push
  // hook): with hide_existing_refs, what these commits reach is old instead
  // of what the refs reach (NewObjectsOptions::hide_commits).
  const std::vector<git_oid>* hide_commits = nullptr;
  // When set, receives the walk's commits with their parents (the history
  // scan tells from it which refs reach a finding).
  NewObjects* objects_out = nullptr;
};

Status InspectPush(const Repository& repo, const Scanner& scanner, const std::vector<RefUpdate>& updates,
                   const InspectOptions& options, PushInspection* out);

}  // namespace akgate
