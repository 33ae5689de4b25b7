#include "git/blob_scanner.h"

#include <git2/errors.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <thread>

#include "git/git_error.h"
#include "git/pack_order.h"

namespace akgate {

namespace {

constexpr size_t kRun = 32;              // consecutive blobs per hand-out
constexpr size_t kParallelFrom = 256;    // fewer blobs: one thread (no start-up cost)

std::string Hex(const git_oid& id) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &id);
  return buf;
}

}  // namespace

Status ReadBlob(git_odb* odb, const git_oid& id, uint64_t max_bytes, git_odb_object** obj, size_t* size,
                bool* oversize, bool* absent) {
  git_object_t type;
  *obj = nullptr;
  *oversize = *absent = false;
  *size = 0;
  int rc = git_odb_read_header(size, &type, odb, &id);
  if (rc == GIT_ENOTFOUND) {
    *absent = true;
    return Status::Ok();
  }
  if (rc < 0) return GitStatus("cannot read blob " + Hex(id));
  if (type != GIT_OBJECT_BLOB) return Status::Error("object " + Hex(id) + " is not a blob");
  if (*size > max_bytes) {
    *oversize = true;
    return Status::Ok();
  }
  if (git_odb_read(obj, odb, &id) < 0) return GitStatus("cannot read blob " + Hex(id));
  return Status::Ok();
}

Status ScanBlobs(const Repository& repo, const Scanner& scanner, const std::vector<BlobTask>& tasks,
                 const BlobScanOptions& o, std::vector<BlobOutcome>* out) {
  out->assign(tasks.size(), BlobOutcome());
  // Pack order: sort task indices by where their blob sits.
  std::vector<size_t> order(tasks.size());
  {
    PackOrder packs(std::vector<std::string>{repo.object_dirs().front()});
    std::vector<std::pair<uint64_t, size_t>> keys(tasks.size());
    for (size_t i = 0; i < tasks.size(); ++i) keys[i] = {packs.Key(tasks[i].id), i};
    std::sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      return git_oid_cmp(&tasks[a.second].id, &tasks[b.second].id) < 0;
    });
    for (size_t i = 0; i < keys.size(); ++i) order[i] = keys[i].second;
  }

  unsigned threads = o.threads ? o.threads : std::min(4u, std::max(1u, std::thread::hardware_concurrency()));
  if (tasks.size() < kParallelFrom) threads = 1;
  const uint64_t max_bytes = scanner.rules().limits.max_fragment_bytes;
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  Status first_error;

  auto work = [&](const Repository& r) {
    ScanScratch scratch(scanner);
    for (;;) {
      size_t start = next.fetch_add(kRun);
      if (start >= order.size()) return;
      for (size_t k = start; k < std::min(order.size(), start + kRun); ++k) {
        if (failed.load(std::memory_order_relaxed)) return;
        if (o.cancel && o.cancel->load(std::memory_order_relaxed)) {
          std::lock_guard<std::mutex> lock(mu);
          if (first_error.ok()) first_error = Status::Error("cancelled");
          failed = true;
          return;
        }
        const BlobTask& t = tasks[order[k]];
        BlobOutcome& res = (*out)[order[k]];
        git_odb_object* obj = nullptr;
        size_t size;
        bool oversize, absent;
        Status s = ReadBlob(r.odb(), t.id, max_bytes, &obj, &size, &oversize, &absent);
        if (!s.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          if (first_error.ok()) first_error = s;
          failed = true;
          return;
        }
        res.size = size;
        res.absent = absent;
        if (oversize) res.result.skipped = SkipReason::kOversize;
        if (!obj) continue;
        std::unique_ptr<git_odb_object, void (*)(git_odb_object*)> held(obj, git_odb_object_free);
        std::string_view data(static_cast<const char*>(git_odb_object_data(obj)), git_odb_object_size(obj));
        res.result = scanner.Scan({t.path, data}, scratch);
        if (o.progress) {
          o.progress->blobs.fetch_add(1, std::memory_order_relaxed);
          o.progress->bytes.fetch_add(size, std::memory_order_relaxed);
        }
      }
    }
  };
  auto worker = [&](const Repository& r) {
    try {
      work(r);
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mu);
      if (first_error.ok()) first_error = Status::Error(std::string("scanning failed: ") + e.what());
      failed = true;
    }
  };
  std::vector<std::unique_ptr<Repository>> handles;
  for (unsigned i = 1; i < threads; ++i) {
    std::unique_ptr<Repository> h;
    if (!repo.Reopen(&h).ok()) break;  // fewer threads, not an error
    handles.push_back(std::move(h));
  }
  std::vector<std::thread> pool;
  for (const auto& h : handles) pool.emplace_back(worker, std::cref(*h));
  worker(repo);
  for (std::thread& t : pool) t.join();
  return first_error;
}

}  // namespace akgate
