// What a push brings and what was found in it: the git layer's result,
// before any policy decision. Plain values (no libgit2 types), shared by the
// hook and the gateway, read by policy/decision.h, report/push_report.h and
// the audit record.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/finding.h"
#include "git/ref_update.h"

namespace akgate {

struct CommitInfo {
  std::string id;        // 40 hex digits
  std::string short_id;  // the first 10
  std::string author;    // "Name <email>"
  std::string subject;   // first line of the message, shortened to 72 bytes
  unsigned parents = 0;  // 0: the root commit (rebase needs --root)
  int64_t time = 0;      // author date, seconds since the epoch
  int offset = 0;        // the author's UTC offset, minutes
  bool is_tip = false;   // the new tip of a pushed ref: `git commit --amend` fixes it
};

// Where the content of a finding came from.
enum class SourceKind {
  kFile,           // a file in a commit (path set)
  kCommitMessage,  // the message of `commit`
  kTagMessage,     // the message of an annotated tag pushed as `ref`
  kTaggedObject,   // a blob (or a file of a tree) a ref names directly
  kUnreachable,    // a blob no ref reaches (the history scan's --all-objects)
};
const char* SourceKindName(SourceKind k);  // "file", "commit message", ...

struct PushFinding {
  Finding finding;  // the engine's finding; finding.path is the file's path
  SourceKind source = SourceKind::kFile;
  CommitInfo commit;          // the commit that introduced it (empty for tags)
  std::string ref;            // for tags and tagged objects: the ref pushed
  bool pre_existing = false;  // already in the parent's version of the file: not introduced
  uint32_t also_in = 0;       // other places in this push that introduce the same secret
  // Where the secret occurs at all (introduced or carried on): distinct
  // blobs, commits and paths, and the blobs' ids (40 hex digits).
  uint32_t blobs = 0, commits = 0, paths = 0;
  std::vector<std::string> blob_ids;
  // A lone half of a pair whose other half the same push (the same commit,
  // in a history scan) introduces elsewhere: another file, or too far away
  // in the same one to pair there. Its action is the pair's (a split pair
  // is still the whole credential), and `paired_with` says where the other
  // half is ("conf/secret.ini:3 (alibaba-accesskey-secret)"); `pair_rule`
  // names the pair. See docs/hook.md, "A pair split across files".
  std::string pair_rule;
  std::vector<std::string> paired_with;
};

struct SkippedFile {
  std::string path;
  std::string commit;  // short id, or the ref for tagged objects
  std::string reason;  // "binary", "oversize", ...
  uint64_t size = 0;
};

struct InspectionStats {
  uint64_t refs = 0;  // ref updates in the push
  uint64_t deletions = 0;
  uint64_t commits = 0;  // new commits
  uint64_t tags = 0;     // new annotated tags
  uint64_t files = 0;    // (commit, path) pairs introduced
  uint64_t blobs = 0;    // distinct blobs examined (each once per push)
  uint64_t blobs_scanned = 0;
  uint64_t bytes_scanned = 0;
  uint64_t messages_scanned = 0;
  uint64_t previous_scanned = 0;              // parent versions read to tell pre-existing secrets
  uint64_t previous_fetches = 0;              // fetches of earlier versions the push did not carry (gateway)
  uint64_t previous_unknown = 0;              // files with findings whose earlier version stayed unknown
  uint64_t gitlinks = 0;                      // submodule entries: not content, not read
  uint64_t absent_commits = 0;                // MissingObjects::kSkip: commits not in the object database
  uint64_t absent_trees = 0;                  // ... trees (absent blobs count in skipped["missing"])
  uint64_t unreachable_blobs = 0;             // InspectOptions::unreachable_blobs that no commit brought
  uint64_t lfs_objects = 0;                   // pushed Git LFS pointers (distinct blobs)
  uint64_t lfs_scanned = 0;                   // ... whose object was found in the LFS store and scanned
  std::map<std::string, uint64_t> skipped;    // reason -> distinct blobs not scanned
  std::vector<SkippedFile> skipped_examples;  // the first few, for the report
  uint64_t inline_allowed = 0;                // findings suppressed by akgate:allow comments
  uint64_t fingerprint_allowed = 0;           // suppressed by the rules' fingerprint allowlist
  // Entries of the rules' fingerprint allowlist that matched in their pre-0.2
  // form: (the entry, the fingerprint that replaces it); engine/fingerprint.h.
  std::vector<std::pair<std::string, std::string>> legacy_allowlist;
  double duration_ms = 0;
  uint64_t skipped_total() const;
};

// Live counters, readable from another thread (the watchdog reports how far
// an inspection got when its time ran out).
struct InspectProgress {
  std::atomic<uint64_t> commits{0};
  std::atomic<uint64_t> blobs{0};
  std::atomic<uint64_t> bytes{0};
  // Known once the walk is done (0 before): what the counters run up to.
  std::atomic<uint64_t> commits_total{0};
  std::atomic<uint64_t> blobs_total{0};
};

struct PushInspection {
  std::string repository;  // path, for messages and the audit record
  std::vector<RefUpdate> refs;
  std::vector<PushFinding> findings;  // one per distinct secret; oldest commit first
  InspectionStats stats;
  // Why earlier versions of files with findings could not be read (gateway:
  // the upstream fetch failed); empty when every one was compared.
  std::string previous_unavailable;
};

}  // namespace akgate
