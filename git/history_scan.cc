// The history scan: refs as a push into an empty repository, then the
// reachability and tip presence of what was found (see history_scan.h).
#include "git/history_scan.h"

#include <git2/commit.h>
#include <git2/config.h>
#include <git2/errors.h>
#include <git2/odb.h>
#include <git2/refs.h>
#include <git2/repository.h>
#include <git2/tree.h>

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "git/git_error.h"
#include "git/git_ptr.h"
#include "git/oid_map.h"
#include "git/push_inspector.h"

namespace akgate {

namespace {

constexpr char kZeroId[] = "0000000000000000000000000000000000000000";
constexpr size_t kReachChunk = 1024;  // finding commits per reachability pass (bits per commit)

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// Branches, tags and remote-tracking branches: what "the history" means to
// a team. Other refs (pull-request heads, notes, stash) only with all_refs.
bool DefaultRef(const std::string& name) {
  return StartsWith(name, "refs/heads/") || StartsWith(name, "refs/tags/") || StartsWith(name, "refs/remotes/");
}

// Refs whose tip is a working state of the code: "still in the tip".
bool BranchRef(const std::string& name) {
  return StartsWith(name, "refs/heads/") || StartsWith(name, "refs/remotes/") || name == "HEAD";
}

// The commit a ref ends at (through annotated tags), or false when it names
// no present commit.
bool PeelToCommit(git_repository* repo, const std::string& hex, git_oid* commit) {
  git_oid id;
  if (git_oid_fromstr(&id, hex.c_str()) < 0) return false;
  GitPtr<git_object> obj;
  if (git_object_lookup(obj.out(), repo, &id, GIT_OBJECT_ANY) < 0) return false;
  GitPtr<git_object> peeled;
  if (git_object_peel(peeled.out(), obj.get(), GIT_OBJECT_COMMIT) < 0) return false;
  *commit = *git_object_id(peeled.get());
  return true;
}

// git marks a partial clone in the repository's configuration: a promisor
// remote (remote.<name>.promisor = true), or extensions.partialClone.
bool IsPartialClone(git_repository* repo) {
  git_config* cfg = nullptr;
  if (git_repository_config_snapshot(&cfg, repo) < 0) {
    git_error_clear();
    return false;
  }
  bool partial = false;
  git_buf value = GIT_BUF_INIT;
  if (git_config_get_string_buf(&value, cfg, "extensions.partialclone") == 0 && value.size > 0) partial = true;
  git_buf_dispose(&value);
  // Every entry, matched here by name: libgit2's regex matching
  // (git_config_foreach_match) leaks PCRE2 match data in 1.5.
  git_config_iterator* it = nullptr;
  if (git_config_iterator_new(&it, cfg) == 0) {
    git_config_entry* e = nullptr;
    while (!partial && git_config_next(&e, it) == 0) {
      const std::string_view name(e->name);
      int yes = 0;
      if (name.size() > 16 && name.substr(0, 7) == "remote." && name.substr(name.size() - 9) == ".promisor" &&
          git_config_parse_bool(&yes, e->value) == 0 && yes)
        partial = true;
    }
    git_config_iterator_free(it);
  }
  git_config_free(cfg);
  git_error_clear();
  return partial;
}

// Every blob in the object database (packs, loose objects, alternates).
Status AllBlobs(const Repository& repo, std::vector<git_oid>* out) {
  std::vector<git_oid> all;
  auto collect = [](const git_oid* id, void* payload) {
    static_cast<std::vector<git_oid>*>(payload)->push_back(*id);
    return 0;
  };
  if (git_odb_foreach(repo.odb(), collect, &all) < 0) return GitStatus("cannot list the objects of " + repo.path());
  OidSet seen;
  for (const git_oid& id : all) {
    if (!seen.insert(id).second) continue;  // in two packs
    size_t len = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    if (git_odb_read_header(&len, &type, repo.odb(), &id) < 0) continue;  // unreadable: the scan counts it
    if (type == GIT_OBJECT_BLOB) out->push_back(id);
  }
  return Status::Ok();
}

// Which refs reach each finding's commit: per commit, a bit for each
// finding commit it reaches, carried from parents to children in one pass
// (kReachChunk finding commits per pass), then read at every ref's tip.
void MarkReachable(const Repository& repo, const NewObjects& graph, const std::vector<RefUpdate>& refs,
                   std::vector<HistoryFinding>* findings) {
  OidMap<uint32_t> index;
  index.reserve(graph.commits.size());
  for (uint32_t i = 0; i < graph.commits.size(); ++i) index.emplace(graph.commits[i], i);

  std::vector<uint32_t> targets;                                // commit indexes that introduced findings
  std::unordered_map<uint32_t, std::vector<size_t>> of_target;  // commit index -> findings
  for (size_t f = 0; f < findings->size(); ++f) {
    HistoryFinding& hf = (*findings)[f];
    if (hf.found.source == SourceKind::kTagMessage || hf.found.source == SourceKind::kTaggedObject) {
      hf.reachable.push_back(hf.found.ref);
      continue;
    }
    git_oid id;
    if (hf.found.commit.id.empty() || git_oid_fromstr(&id, hf.found.commit.id.c_str()) < 0) continue;
    auto it = index.find(id);
    if (it == index.end()) continue;
    auto [t, inserted] = of_target.try_emplace(it->second);
    if (inserted) targets.push_back(it->second);
    t->second.push_back(f);
  }
  if (targets.empty()) return;

  std::vector<std::pair<uint32_t, const std::string*>> tips;  // (commit index, ref)
  for (const RefUpdate& r : refs) {
    git_oid c;
    if (!PeelToCommit(repo.repo(), r.new_id, &c)) continue;
    if (auto it = index.find(c); it != index.end()) tips.emplace_back(it->second, &r.ref);
  }
  const size_t n = graph.commits.size();
  for (size_t start = 0; start < targets.size(); start += kReachChunk) {
    const size_t count = std::min(kReachChunk, targets.size() - start);
    const size_t words = (count + 63) / 64;
    std::unordered_map<uint32_t, size_t> bit;  // commit index -> bit in this pass
    for (size_t k = 0; k < count; ++k) bit.emplace(targets[start + k], k);
    std::vector<uint64_t> bits(n * words, 0);
    for (size_t i = 0; i < n; ++i) {
      uint64_t* mine = &bits[i * words];
      for (uint32_t k = graph.parent_begin[i]; k < graph.parent_begin[i + 1]; ++k) {
        const uint64_t* p = &bits[size_t{graph.parents[k]} * words];
        for (size_t w = 0; w < words; ++w) mine[w] |= p[w];
      }
      if (auto b = bit.find(static_cast<uint32_t>(i)); b != bit.end())
        mine[b->second / 64] |= uint64_t{1} << (b->second % 64);
    }
    for (const auto& [tip, ref] : tips) {
      const uint64_t* mine = &bits[size_t{tip} * words];
      for (size_t k = 0; k < count; ++k)
        if (mine[k / 64] >> (k % 64) & 1)
          for (size_t f : of_target[targets[start + k]]) (*findings)[f].reachable.push_back(*ref);
    }
  }
  for (HistoryFinding& hf : *findings) {
    std::sort(hf.reachable.begin(), hf.reachable.end());
    hf.reachable.erase(std::unique(hf.reachable.begin(), hf.reachable.end()), hf.reachable.end());
  }
}

// Which branch tips still hold each finding: every tip tree walked once,
// subtrees known to hold none of the findings' blobs skipped.
class TipSearch {
 public:
  TipSearch(git_repository* repo, std::vector<HistoryFinding>* findings) : repo_(repo), findings_(findings) {
    for (size_t f = 0; f < findings->size(); ++f)
      for (const std::string& hex : (*findings)[f].found.blob_ids) {
        git_oid id;
        if (git_oid_fromstr(&id, hex.c_str()) == 0) holders_[id].push_back(f);
      }
  }

  Status Search(const std::string& ref, const git_oid& commit) {
    if (holders_.empty()) return Status::Ok();
    GitPtr<git_commit> c;
    if (git_commit_lookup(c.out(), repo_, &commit) < 0) return Status::Ok();  // absent: counted by the walk
    ref_ = &ref;
    Walk(*git_commit_tree_id(c.get()), "");
    return Status::Ok();
  }

 private:
  // True when the tree holds at least one of the blobs.
  bool Walk(const git_oid& tree_id, const std::string& prefix) {
    if (clean_.count(tree_id)) return false;
    GitPtr<git_tree> tree;
    if (git_tree_lookup(tree.out(), repo_, &tree_id) < 0) return false;  // absent (partial clone)
    bool found = false;
    for (size_t i = 0; i < git_tree_entrycount(tree.get()); ++i) {
      const git_tree_entry* e = git_tree_entry_byindex(tree.get(), i);
      const git_oid* id = git_tree_entry_id(e);
      std::string path = prefix.empty() ? git_tree_entry_name(e) : prefix + "/" + git_tree_entry_name(e);
      if (git_tree_entry_filemode(e) == GIT_FILEMODE_TREE) {
        found |= Walk(*id, path);
        continue;
      }
      auto it = holders_.find(*id);
      if (it == holders_.end()) continue;
      found = true;
      for (size_t f : it->second) {
        auto& tips = (*findings_)[f].in_tips;
        if (tips.empty() || tips.back().ref != *ref_) tips.push_back({*ref_, path});
      }
    }
    if (!found) clean_.insert(tree_id);
    return found;
  }

  git_repository* repo_;
  std::vector<HistoryFinding>* findings_;
  OidMap<std::vector<size_t>> holders_;  // blob -> findings it holds
  OidSet clean_;                         // trees holding none of them
  const std::string* ref_ = nullptr;
};

}  // namespace

Status HistoryRefs(const Repository& repo, bool all_refs, std::vector<RefUpdate>* out) {
  git_reference_iterator* it = nullptr;
  if (git_reference_iterator_new(&it, repo.repo()) < 0) return GitStatus("cannot list the refs of " + repo.path());
  git_reference* ref = nullptr;
  int rc;
  while ((rc = git_reference_next(&ref, it)) == 0) {
    const git_oid* target = git_reference_target(ref);  // null for a symbolic ref
    std::string name = git_reference_name(ref);
    if (target && (all_refs || DefaultRef(name))) out->push_back({kZeroId, OidHex(*target), name});
    git_reference_free(ref);
  }
  git_reference_iterator_free(it);
  if (rc != GIT_ITEROVER) return GitStatus("cannot list the refs of " + repo.path());
  // HEAD that cannot be read is a damaged repository (git refuses to open
  // it); an unborn branch (an empty repository) is not.
  const int detached = git_repository_head_detached(repo.repo());
  if (detached < 0 && git_repository_head_unborn(repo.repo()) != 1)
    return GitStatus("cannot read HEAD of " + repo.path(), detached);
  if (detached == 1) {
    GitPtr<git_reference> head;
    if (git_repository_head(head.out(), repo.repo()) == 0 && git_reference_target(head.get()))
      out->push_back({kZeroId, OidHex(*git_reference_target(head.get())), "HEAD"});
  }
  std::sort(out->begin(), out->end(), [](const RefUpdate& a, const RefUpdate& b) { return a.ref < b.ref; });
  return Status::Ok();
}

Status ScanHistory(const Repository& repo, const Scanner& scanner, const HistoryOptions& o, HistoryScan* out) {
  out->repository = repo.path();
  out->shallow = git_repository_is_shallow(repo.repo()) == 1;
  out->partial = IsPartialClone(repo.repo());
  std::vector<RefUpdate> refs;
  AKGATE_RETURN_IF_ERROR(HistoryRefs(repo, o.all_refs, &refs));
  for (const RefUpdate& r : refs) out->refs.push_back(r.ref);

  InspectOptions io;
  io.missing = MissingObjects::kSkip;
  io.hide_existing_refs = false;
  io.cancel = o.cancel;
  io.progress = o.progress;
  io.threads = o.threads;
  io.max_skipped_examples = o.max_skipped_examples;
  io.lfs_missing_blocks = false;  // a clone without its LFS objects: skipped and counted
  if (o.all_objects) {
    AKGATE_RETURN_IF_ERROR(AllBlobs(repo, &io.unreachable_blobs));
  }
  NewObjects graph;
  io.objects_out = &graph;
  PushInspection inspection;
  Status s = InspectPush(repo, scanner, refs, io, &inspection);
  out->stats = std::move(inspection.stats);
  if (!s.ok()) return s;

  for (PushFinding& pf : inspection.findings) {
    HistoryFinding hf;
    hf.found = std::move(pf);
    out->findings.push_back(std::move(hf));
  }
  MarkReachable(repo, graph, refs, &out->findings);
  TipSearch tips(repo.repo(), &out->findings);
  for (const RefUpdate& r : refs) {
    if (!BranchRef(r.ref)) continue;
    git_oid c;
    if (PeelToCommit(repo.repo(), r.new_id, &c)) AKGATE_RETURN_IF_ERROR(tips.Search(r.ref, c));
  }
  return Status::Ok();
}

}  // namespace akgate
