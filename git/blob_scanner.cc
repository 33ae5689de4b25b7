#include "git/blob_scanner.h"

#include <git2/errors.h>

#include <algorithm>
#include <memory>

#include "git/git_error.h"
#include "git/oid_map.h"
#include "git/pack_order.h"
#include "git/pack_reader.h"
#include "git/parallel.h"

namespace akgate {

namespace {

constexpr size_t kRun = 32;            // consecutive blobs per hand-out
constexpr size_t kParallelFrom = 256;  // fewer blobs: one thread (no start-up cost)

}  // namespace

std::string_view BlobBytes::view() const {
  if (packed_) return {packed_->bytes.get(), packed_->size};
  if (object_)
    return {static_cast<const char*>(git_odb_object_data(object_.get())), git_odb_object_size(object_.get())};
  return {};
}

void BlobBytes::Reset() {
  packed_.reset();
  object_.reset();
}

Status ReadBlob(git_odb* odb, const git_oid& id, uint64_t max_bytes, BlobBytes* out, size_t* size, bool* oversize,
                bool* absent) {
  git_object_t type;
  out->Reset();
  *oversize = *absent = false;
  *size = 0;
  int rc = git_odb_read_header(size, &type, odb, &id);
  if (rc == GIT_ENOTFOUND) {
    *absent = true;
    return Status::Ok();
  }
  if (rc < 0) return GitStatus("cannot read blob " + OidHex(id), rc);
  if (type != GIT_OBJECT_BLOB) return Status::Corrupt("object " + OidHex(id) + " is not a blob");
  if (*size > max_bytes) {
    // A skip rests on this claim, so it is checked against the content: a
    // header that lies about the size must not hide a small blob.
    AKGATE_RETURN_IF_ERROR(CheckedObjectSize(odb, id, size));
    *oversize = *size > max_bytes;
    if (*oversize) return Status::Ok();
  }
  std::string why;
  switch (ReadFromPackReaders(odb, id, &type, &out->packed_, &why)) {
    case PackReader::Result::kFound:
      if (type != GIT_OBJECT_BLOB) return Status::Corrupt("object " + OidHex(id) + " is not a blob");
      return Status::Ok();
    case PackReader::Result::kCorrupt:
      return Status::Corrupt(why);
    default:  // not held whole by a pack reader: libgit2 reads it
      break;
  }
  if (git_odb_read(out->object_.out(), odb, &id) < 0) return GitStatus("cannot read blob " + OidHex(id));
  return Status::Ok();
}

Status ScanBlobs(const Repository& repo, const Scanner& scanner, const std::vector<BlobTask>& tasks,
                 const BlobScanOptions& o, std::vector<BlobOutcome>* out) {
  out->assign(tasks.size(), BlobOutcome());
  // Pack order: sort task indices by where their blob sits.
  std::vector<size_t> order(tasks.size());
  {
    PackOrder packs(repo.object_dirs());  // the pushed pack first, then the repository's and its alternates'
    std::vector<std::pair<uint64_t, size_t>> keys(tasks.size());
    for (size_t i = 0; i < tasks.size(); ++i) keys[i] = {packs.Key(tasks[i].id), i};
    std::sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      return git_oid_cmp(&tasks[a.second].id, &tasks[b.second].id) < 0;
    });
    for (size_t i = 0; i < keys.size(); ++i) order[i] = keys[i].second;
  }

  const unsigned threads = WorkerThreads(o.threads, tasks.size(), kParallelFrom);
  const uint64_t max_bytes = scanner.rules().limits.max_fragment_bytes;
  std::atomic<size_t> next{0};

  return RunWithHandles(repo, threads, [&](const Repository& r, const std::atomic<bool>& failed) -> Status {
    ScanScratch scratch(scanner);
    BlobBytes bytes;
    for (;;) {
      size_t start = next.fetch_add(kRun);
      if (start >= order.size()) return Status::Ok();
      for (size_t k = start; k < std::min(order.size(), start + kRun); ++k) {
        if (failed.load(std::memory_order_relaxed)) return Status::Ok();
        if (o.cancel && o.cancel->load(std::memory_order_relaxed)) return Status::DeadlineExceeded("cancelled");
        const BlobTask& t = tasks[order[k]];
        BlobOutcome& res = (*out)[order[k]];
        size_t size;
        bool oversize, absent;
        AKGATE_RETURN_IF_ERROR(ReadBlob(r.odb(), t.id, max_bytes, &bytes, &size, &oversize, &absent));
        res.size = size;
        res.absent = absent;
        if (oversize) res.result.skipped = SkipReason::kOversize;
        if (!bytes.present()) continue;
        std::string_view data = bytes.view();
        res.result = scanner.Scan({t.path, data}, scratch);
        res.lfs = ParseLfsPointer(data, &res.lfs_pointer);
        if (o.progress) {
          o.progress->blobs.fetch_add(1, std::memory_order_relaxed);
          o.progress->bytes.fetch_add(size, std::memory_order_relaxed);
        }
      }
    }
  });
}

void KeepInlineAllowed(FragmentResult* r, std::vector<Finding>* to) {
  for (Finding& f : r->inline_allowed_findings) to->push_back(std::move(f));
  r->inline_allowed_findings.clear();
}

}  // namespace akgate
