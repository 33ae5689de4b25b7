// Reading and scanning many blobs: each once, in pack order, on a few
// threads. The inspector's stage 3 (push_inspector.h), in its own file
// because it is where a large push spends its time (zlib inflate, mostly).
//
// Work is handed out in runs of consecutive blobs (in pack-offset order, see
// pack_order.h), so each thread reads neighbouring objects and keeps its
// delta-base cache warm; every thread has its own Repository handle
// (libgit2 objects are not thread-safe) and its own ScanScratch. Results
// come back in the order of the tasks, whatever the threads did.
#pragma once

#include <git2/odb.h>
#include <git2/oid.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/finding.h"
#include "engine/scanner.h"
#include "engine/status.h"
#include "git/git_ptr.h"
#include "git/lfs_store.h"
#include "git/pack_reader.h"
#include "git/push_inspection.h"
#include "git/repository.h"

namespace akgate {

struct BlobTask {
  git_oid id;
  std::string path;  // what the rules see (path rules, allowlists)
};

struct BlobOutcome {
  bool absent = false;  // not in the object database
  uint64_t size = 0;
  FragmentResult result;   // result.skipped == kOversize when too large to read
  bool lfs = false;        // the blob is a Git LFS pointer (lfs_store.h) ...
  LfsPointer lfs_pointer;  // ... to this object
};

struct BlobScanOptions {
  unsigned threads = 0;  // 0: one per core, at most 4; small batches use one
  const std::atomic<bool>* cancel = nullptr;
  InspectProgress* progress = nullptr;
};

// out->at(i) is the outcome of tasks[i].
Status ScanBlobs(const Repository& repo, const Scanner& scanner, const std::vector<BlobTask>& tasks,
                 const BlobScanOptions& options, std::vector<BlobOutcome>* out);

// Findings on lines marked akgate:allow go on, marked, with the others:
// whether the mark is honoured is the policy's decision, never silent.
void KeepInlineAllowed(FragmentResult* r, std::vector<Finding>* to);

// A blob's bytes however they were read: shared with a pack reader's cache
// (no copy), or in a libgit2 object (loose objects, other packs).
class BlobBytes {
 public:
  bool present() const { return packed_ || object_; }
  std::string_view view() const;
  void Reset();

 private:
  friend Status ReadBlob(git_odb*, const git_oid&, uint64_t, BlobBytes*, size_t*, bool*, bool*);
  PackReader::Data packed_;
  GitPtr<git_odb_object> object_;
};

// One blob, size checked first with git_odb_read_header: nothing is read
// (out->present() is false) when the blob is absent (*absent) or larger
// than `max_bytes` (*oversize).
Status ReadBlob(git_odb* odb, const git_oid& id, uint64_t max_bytes, BlobBytes* out, size_t* size, bool* oversize,
                bool* absent);

}  // namespace akgate
