// Previous versions of files with findings (see previous_versions.h).
#include "git/previous_versions.h"

#include <git2/commit.h>
#include <git2/odb.h>
#include <git2/tree.h>

#include <algorithm>
#include <string_view>

#include "git/blob_scanner.h"
#include "git/git_error.h"
#include "git/git_ptr.h"

namespace akgate {

namespace {

constexpr int kMaxTreeFetches = 3;  // commits, then trees a pack's new tree points to

void Dedupe(std::vector<git_oid>& v) {
  std::sort(v.begin(), v.end(), [](const git_oid& a, const git_oid& b) { return git_oid_cmp(&a, &b) < 0; });
  v.erase(std::unique(v.begin(), v.end(), [](const git_oid& a, const git_oid& b) { return git_oid_equal(&a, &b); }),
          v.end());
}

}  // namespace

PreviousVersions::PreviousVersions(const Repository& repo, const Scanner& scanner, ScanScratch& scratch,
                                   ObjectFetcher* fetcher, const std::atomic<bool>* cancel, InspectionStats* stats)
    : repo_(repo), scanner_(scanner), scratch_(scratch), fetcher_(fetcher), cancel_(cancel), stats_(stats) {}

const FingerprintSet* PreviousVersions::Fingerprints(const git_oid& id, const std::string& path) {
  auto it = cache_.find(id);
  if (it != cache_.end()) return it->second.get();
  std::unique_ptr<FingerprintSet> fps;
  BlobBytes bytes;
  size_t size;
  bool oversize, absent;
  if (ReadBlob(repo_.odb(), id, scanner_.rules().limits.max_fragment_bytes, &bytes, &size, &oversize, &absent).ok() &&
      bytes.present()) {
    FragmentResult r = scanner_.Scan({path, bytes.view()}, scratch_);
    bytes.Reset();
    stats_->previous_scanned++;
    if (r.skipped == SkipReason::kNone) {
      fps = std::make_unique<FingerprintSet>();
      KeepInlineAllowed(&r, &r.findings);  // a marked secret was there too
      for (const Finding& f : r.findings) {
        fps->insert(f.fingerprint);
        for (const FindingPart& p : f.parts) fps->insert(p.fingerprint);
      }
    }
  }
  return (cache_[id] = std::move(fps)).get();
}

bool PreviousVersions::FoundIn(const Finding& f, const FingerprintSet& fps) {
  // Every part: a pair's own fingerprint is its key ID's, which a lone ID
  // in the old version also has; adding the secret next to it is new.
  for (const FindingPart& p : f.parts)
    if (!fps.count(p.fingerprint)) return false;
  return true;
}

// Follows `path` down from commit `commit`: the blob there (kBlob, *blob),
// no file there (kAbsent), or an object on the way that is not here
// (kMissing: added to *wants).
PreviousVersions::Walk PreviousVersions::WalkPath(const git_oid& commit, const std::string& path, git_oid* blob,
                                                  FetchWants* wants) {
  git_odb* odb = repo_.odb();
  if (!git_odb_exists(odb, &commit)) {
    wants->commits.push_back(commit);
    return Walk::kMissing;
  }
  git_oid tree;
  {
    GitPtr<git_commit> c;
    if (git_commit_lookup(c.out(), repo_.repo(), &commit) < 0) return Walk::kUnreadable;
    tree = *git_commit_tree_id(c.get());
  }
  for (size_t start = 0;;) {
    if (!git_odb_exists(odb, &tree)) {
      wants->trees.push_back(tree);
      return Walk::kMissing;
    }
    GitPtr<git_tree> t;
    if (git_tree_lookup(t.out(), repo_.repo(), &tree) < 0) return Walk::kUnreadable;
    size_t slash = path.find('/', start);
    std::string name = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    const git_tree_entry* e = git_tree_entry_byname(t.get(), name.c_str());
    git_filemode_t mode = e ? git_tree_entry_filemode(e) : GIT_FILEMODE_UNREADABLE;
    git_oid id = e ? *git_tree_entry_id(e) : git_oid{};
    if (slash == std::string::npos) {
      bool file = mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE || mode == GIT_FILEMODE_LINK;
      if (!file) return Walk::kAbsent;
      *blob = id;
      return Walk::kBlob;
    }
    if (mode != GIT_FILEMODE_TREE) return Walk::kAbsent;
    tree = id;
    start = slash + 1;
  }
}

// Fetches `wants` (duplicates dropped) and makes them readable here.
Status PreviousVersions::FetchInto(FetchWants wants) {
  Dedupe(wants.commits);
  Dedupe(wants.trees);
  Dedupe(wants.blobs);
  std::string dir;
  AKGATE_RETURN_IF_ERROR(fetcher_->Fetch(wants, cancel_, &dir));
  stats_->previous_fetches++;
  if (git_odb_add_disk_alternate(repo_.odb(), dir.c_str()) < 0) return GitStatus("cannot read the fetched objects");
  return Status::Ok();
}

Status PreviousVersions::Resolve(std::vector<PreviousLookup>* todo, std::string* unavailable) {
  Status fetched;
  for (int round = 0;; ++round) {
    if (cancel_ && cancel_->load(std::memory_order_relaxed)) return Status::DeadlineExceeded("cancelled");
    FetchWants wants;
    for (PreviousLookup& l : *todo) {
      l.found.clear();
      l.resolved = true;
      for (const git_oid& p : l.parents) {
        git_oid blob;
        switch (WalkPath(p, l.path, &blob, &wants)) {
          case Walk::kBlob:
            l.found.push_back(blob);
            break;
          case Walk::kAbsent:
            break;
          case Walk::kMissing:
          case Walk::kUnreadable:
            l.resolved = false;
            break;
        }
      }
    }
    if (wants.empty() || !fetcher_ || round == kMaxTreeFetches || !fetched.ok()) break;
    fetched = FetchInto(std::move(wants));
  }
  FetchWants blobs;
  for (const PreviousLookup& l : *todo)
    if (l.resolved)
      for (const git_oid& id : l.found)
        if (!git_odb_exists(repo_.odb(), &id)) blobs.blobs.push_back(id);
  if (!blobs.empty() && fetcher_ && fetched.ok()) fetched = FetchInto(std::move(blobs));
  bool any_unresolved = false;
  for (PreviousLookup& l : *todo) {
    for (const git_oid& id : l.found)
      if (!git_odb_exists(repo_.odb(), &id)) l.resolved = false;
    if (!l.resolved) any_unresolved = true;
  }
  if (any_unresolved) *unavailable = fetched.ok() ? "not found upstream" : fetched.message();
  return Status::Ok();
}

}  // namespace akgate
