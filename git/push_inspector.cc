// The inspection pipeline (see push_inspector.h for the stages).
#include "git/push_inspector.h"

#include <git2/commit.h>
#include <git2/errors.h>
#include <git2/odb.h>
#include <git2/tag.h>
#include <git2/tree.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "git/blob_scanner.h"
#include "git/git_error.h"
#include "git/git_ptr.h"
#include "git/oid_map.h"
#include "git/parallel.h"
#include "git/previous_versions.h"
#include "git/tree_diff.h"

namespace akgate {

const char* SourceKindName(SourceKind k) {
  switch (k) {
    case SourceKind::kFile:
      return "file";
    case SourceKind::kCommitMessage:
      return "commit message";
    case SourceKind::kTagMessage:
      return "tag message";
    case SourceKind::kTaggedObject:
      return "tagged object";
    case SourceKind::kUnreachable:
      return "unreachable object";
  }
  return "?";
}

uint64_t InspectionStats::skipped_total() const {
  uint64_t n = 0;
  for (const auto& [reason, count] : skipped) n += count;
  return n;
}

namespace {

constexpr uint32_t kNoCommit = UINT32_MAX;
constexpr size_t kCommitRun = 256;            // consecutive commits per hand-out
constexpr size_t kParallelCommitsFrom = 512;  // fewer new commits: one thread

// The rules' allowlist entries of the pre-0.2 form that a scan matched, each once.
void AddLegacy(const std::vector<std::pair<std::string, std::string>>& found, InspectionStats* st) {
  for (const auto& m : found)
    if (std::find(st->legacy_allowlist.begin(), st->legacy_allowlist.end(), m) == st->legacy_allowlist.end())
      st->legacy_allowlist.push_back(m);
}

// One place a blob was introduced.
struct Occurrence {
  uint32_t commit = kNoCommit;  // index into NewObjects::commits
  uint32_t tagged = 0;          // index into NewObjects::tagged when commit == kNoCommit
  bool unreachable = false;     // an object no ref reaches (InspectOptions::unreachable_blobs)
  std::string path;
  std::vector<git_oid> previous;
  bool previous_unknown = false;
  bool path_skipped = false;  // the rules skip this path (allowlist): its findings do not count
};

struct BlobWork {
  std::vector<Occurrence> occurrences;
  std::vector<Finding> findings;  // only blobs with findings keep any
};

// A finding at one place, before grouping by secret.
struct Hit {
  const Finding* finding;
  SourceKind source;
  uint32_t commit;  // kNoCommit for tags
  std::string ref;
  std::string path;
  uint64_t order;  // commits in topological order, then tags
  bool pre_existing = false;
  size_t blob = SIZE_MAX;  // index into blobs_ (SIZE_MAX: a message)
};

std::string ShortenUtf8(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t cut = max - 3;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "...";
}

class Inspector {
 public:
  Inspector(const Repository& repo, const Scanner& scanner, const InspectOptions& o, PushInspection* out)
      : repo_(repo),
        scanner_(scanner),
        o_(o),
        out_(out),
        scratch_(scanner),
        previous_(repo, scanner, scratch_, o.fetcher, o.cancel, &out->stats) {}

  Status Run(const std::vector<RefUpdate>& updates) {
    out_->repository = repo_.path();
    out_->refs = updates;
    InspectionStats& st = out_->stats;
    st.refs = updates.size();

    NewObjectsOptions no;
    no.missing = o_.missing;
    no.cancel = o_.cancel;
    no.hide_existing_refs = o_.hide_existing_refs;
    if (o_.hide_existing_refs) no.hide_commits = o_.hide_commits;
    no.record_parents = o_.objects_out != nullptr;
    AKGATE_RETURN_IF_ERROR(FindNewObjects(repo_, updates, no, &new_));
    st.deletions = new_.deletions;
    st.commits = new_.commits.size();
    st.tags = new_.tags.size();
    st.absent_commits = new_.absent_commits;
    if (o_.progress) o_.progress->commits_total.store(new_.commits.size(), std::memory_order_relaxed);
    for (const RefUpdate& u : updates) tips_.insert(u.new_id);

    AKGATE_RETURN_IF_ERROR(CollectFiles());
    AKGATE_RETURN_IF_ERROR(ScanAllBlobs());
    AKGATE_RETURN_IF_ERROR(ScanMessages());
    AKGATE_RETURN_IF_ERROR(FetchUnknownPrevious());
    AKGATE_RETURN_IF_ERROR(MarkPreExisting());
    AKGATE_RETURN_IF_ERROR(Group());
    if (o_.objects_out) *o_.objects_out = std::move(new_);
    return Status::Ok();
  }

 private:
  bool Cancelled() const { return o_.cancel && o_.cancel->load(std::memory_order_relaxed); }

  void AddFile(uint32_t commit, uint32_t tagged, IntroducedFile&& f, bool unreachable = false) {
    auto [it, inserted] = blob_index_.emplace(f.blob, blobs_.size());
    if (inserted) {
      blobs_.emplace_back();
      blob_ids_.push_back(f.blob);
    }
    Occurrence occ;
    occ.commit = commit;
    occ.tagged = tagged;
    occ.unreachable = unreachable;
    occ.path = std::move(f.path);
    occ.previous = std::move(f.previous);
    occ.previous_unknown = f.previous_unknown;
    blobs_[it->second].occurrences.push_back(std::move(occ));
    out_->stats.files++;
  }

  // Stage 2: the files each new commit (and each tagged tree or blob) brings.
  // Commits are diffed on a few threads, in runs of consecutive commits (a
  // commit's parent is usually the one before it, whose trees the differ
  // still holds), then added in commit order.
  Status CollectFiles() {
    const size_t n = new_.commits.size();
    std::vector<TreeChanges> changes(n);
    std::atomic<size_t> next{0};
    Status s = RunWithHandles(repo_, WorkerThreads(o_.threads, n, kParallelCommitsFrom),
                              [&](const Repository& r, const std::atomic<bool>& failed) -> Status {
                                CommitDiffer differ(r.repo(), r.odb(), o_.missing);
                                for (;;) {
                                  size_t start = next.fetch_add(kCommitRun);
                                  if (start >= n) return Status::Ok();
                                  for (size_t i = start; i < std::min(n, start + kCommitRun); ++i) {
                                    if (failed.load(std::memory_order_relaxed)) return Status::Ok();
                                    if (Cancelled()) return Status::DeadlineExceeded("cancelled");
                                    AKGATE_RETURN_IF_ERROR(differ.Diff(new_.commits[i], &changes[i]));
                                    if (o_.progress) o_.progress->commits.fetch_add(1, std::memory_order_relaxed);
                                  }
                                }
                              });
    if (!s.ok()) return s;
    for (uint32_t i = 0; i < n; ++i) {
      out_->stats.gitlinks += changes[i].gitlinks;
      out_->stats.absent_trees += changes[i].absent_trees;
      for (IntroducedFile& f : changes[i].files) AddFile(i, 0, std::move(f));
      changes[i] = TreeChanges();
    }
    CommitDiffer differ(repo_.repo(), repo_.odb(), o_.missing);
    for (uint32_t t = 0; t < new_.tagged.size(); ++t) {
      const TaggedContent& tc = new_.tagged[t];
      if (tc.type == GIT_OBJECT_BLOB) {
        IntroducedFile f;
        f.path = tc.ref;
        f.blob = tc.id;
        AddFile(kNoCommit, t, std::move(f));
        continue;
      }
      TreeChanges listed;
      s = differ.ListTree(tc.id, &listed);
      if (!s.ok()) return s;
      out_->stats.gitlinks += listed.gitlinks;
      out_->stats.absent_trees += listed.absent_trees;
      for (IntroducedFile& f : listed.files) AddFile(kNoCommit, t, std::move(f));
    }
    // Blobs no ref reaches, each once and only when no commit brought it.
    for (const git_oid& id : o_.unreachable_blobs) {
      if (blob_index_.count(id)) continue;
      IntroducedFile f;
      f.blob = id;
      AddFile(kNoCommit, 0, std::move(f), true);
      out_->stats.unreachable_blobs++;
    }
    if (o_.progress) o_.progress->blobs_total.store(blobs_.size(), std::memory_order_relaxed);
    return Status::Ok();
  }

  // Does the engine skip this path whatever the content (path allowlist)?
  bool PathSkipped(const std::string& path) {
    auto it = path_skipped_.find(path);
    if (it != path_skipped_.end()) return it->second;
    bool skipped = scanner_.Scan({path, std::string_view()}, scratch_).skipped == SkipReason::kAllowlistedPath;
    path_skipped_.emplace(path, skipped);
    return skipped;
  }

  // The path a shared blob is scanned under: the first one the rules do not
  // skip, so a copy under an allowlisted path cannot hide one elsewhere.
  std::string ChooseScanPath(BlobWork& b) {
    bool same_path = true;
    for (const Occurrence& o : b.occurrences)
      if (o.path != b.occurrences.front().path) same_path = false;
    if (same_path) return b.occurrences.front().path;
    std::string chosen;
    for (Occurrence& o : b.occurrences) {
      o.path_skipped = PathSkipped(o.path);
      if (!o.path_skipped && chosen.empty()) chosen = o.path;
    }
    return chosen.empty() ? b.occurrences.front().path : chosen;
  }

  std::string Where(const Occurrence& where) const {
    if (where.unreachable) return "(unreachable)";
    return where.commit == kNoCommit ? new_.tagged[where.tagged].ref : OidHex(new_.commits[where.commit]).substr(0, 10);
  }

  void CountSkip(const char* reason, const Occurrence& where, uint64_t size) {
    InspectionStats& st = out_->stats;
    st.skipped[reason]++;
    if (st.skipped_examples.size() >= o_.max_skipped_examples) return;
    SkippedFile f;
    f.path = where.path;
    f.commit = Where(where);
    f.reason = reason;
    f.size = size;
    st.skipped_examples.push_back(std::move(f));
  }

  // Stage 3: every distinct blob, once (blob_scanner.h).
  Status ScanAllBlobs() {
    InspectionStats& st = out_->stats;
    std::vector<BlobTask> tasks(blobs_.size());
    for (size_t i = 0; i < blobs_.size(); ++i) tasks[i] = {blob_ids_[i], ChooseScanPath(blobs_[i])};
    std::vector<BlobOutcome> outcomes;
    BlobScanOptions bo;
    bo.threads = o_.threads;
    bo.cancel = o_.cancel;
    bo.progress = o_.progress;
    Status s = ScanBlobs(repo_, scanner_, tasks, bo, &outcomes);
    if (!s.ok()) return s;
    for (size_t i = 0; i < blobs_.size(); ++i) {
      BlobOutcome& r = outcomes[i];
      if (r.absent) {
        if (o_.missing == MissingObjects::kError)
          return Status::NotFound("blob " + OidHex(blob_ids_[i]) + " is missing");
        if (o_.missing == MissingObjects::kSkip) CountSkip("missing", blobs_[i].occurrences.front(), 0);
        continue;
      }
      st.blobs++;
      st.inline_allowed += r.result.inline_allowed;
      st.fingerprint_allowed += r.result.fingerprint_allowed;
      AddLegacy(r.result.legacy_allowlist, &st);
      for (const UnscannedMember& u : r.result.unscanned) {  // inside an archive
        Occurrence where = blobs_[i].occurrences.front();
        if (!u.member.empty()) where.path += "!" + u.member;
        CountSkip(SkipReasonName(u.reason), where, r.size);
      }
      if (r.result.skipped != SkipReason::kNone) {
        CountSkip(SkipReasonName(r.result.skipped), blobs_[i].occurrences.front(), r.size);
        continue;
      }
      st.blobs_scanned++;
      st.bytes_scanned += r.size;
      blobs_[i].findings = std::move(r.result.findings);
      KeepInlineAllowed(&r.result, &blobs_[i].findings);
      if (r.lfs && !(s = ScanLfsObject(i, r.lfs_pointer)).ok()) return s;
    }
    return Status::Ok();
  }

  // The object behind an LFS pointer, scanned under the pointer's path; its
  // findings are the pointer blob's (lfs_store.h).
  Status ScanLfsObject(size_t i, const LfsPointer& pointer) {
    InspectionStats& st = out_->stats;
    const Occurrence& where = blobs_[i].occurrences.front();
    LfsStores stores;
    if (!repo_.objects_only()) stores.git_lfs.push_back(repo_.path() + "/lfs/objects");
    stores.gitlab = o_.lfs_gitlab_storage;
    std::string content;
    LfsRead read;
    const uint64_t max_bytes = scanner_.rules().limits.max_fragment_bytes;
    Status s = ReadLfsObject(stores, pointer, max_bytes, &content, &read);
    if (!s.ok()) return Status::Corrupt(s.message() + " (LFS file " + where.path + " in " + Where(where) + ")");
    st.lfs_objects++;
    if (read == LfsRead::kOversize) {
      CountSkip(SkipReasonName(SkipReason::kOversize), where, pointer.size);
      return Status::Ok();
    }
    if (read == LfsRead::kMissing) {
      if (o_.lfs_missing_blocks)
        return Status::Corrupt("the Git LFS object of " + where.path + " in " + Where(where) + " (sha256 " +
                               pointer.oid.substr(0, 12) + "...) is not in the server's LFS store (" +
                               stores.Describe() + "), so its content cannot be checked");
      CountSkip("lfs-missing", where, pointer.size);
      return Status::Ok();
    }
    FragmentResult r = scanner_.Scan({ChooseScanPath(blobs_[i]), content}, scratch_);
    st.inline_allowed += r.inline_allowed;
    st.fingerprint_allowed += r.fingerprint_allowed;
    AddLegacy(r.legacy_allowlist, &st);
    if (r.skipped != SkipReason::kNone) {
      CountSkip(SkipReasonName(r.skipped), where, pointer.size);
      return Status::Ok();
    }
    st.lfs_scanned++;
    st.bytes_scanned += content.size();
    for (Finding& f : r.findings) blobs_[i].findings.push_back(std::move(f));
    KeepInlineAllowed(&r, &blobs_[i].findings);
    return Status::Ok();
  }

  void AddMessageFindings(FragmentResult&& r, SourceKind source, uint32_t commit, const std::string& ref,
                          uint64_t order) {
    InspectionStats& st = out_->stats;
    st.messages_scanned++;
    st.inline_allowed += r.inline_allowed;
    st.fingerprint_allowed += r.fingerprint_allowed;
    AddLegacy(r.legacy_allowlist, &st);
    KeepInlineAllowed(&r, &r.findings);
    for (Finding& f : r.findings) {
      message_findings_.push_back(std::make_unique<Finding>(std::move(f)));
      hits_.push_back({message_findings_.back().get(), source, commit, ref, "", order, false, SIZE_MAX});
    }
  }

  // Commit and tag messages are content too.
  Status ScanMessages() {
    for (uint32_t i = 0; i < new_.commits.size(); ++i) {
      if (Cancelled()) return Status::DeadlineExceeded("cancelled");
      GitPtr<git_commit> c;
      if (git_commit_lookup(c.out(), repo_.repo(), &new_.commits[i]) < 0)
        return GitStatus("cannot read commit " + OidHex(new_.commits[i]));
      const char* msg = git_commit_message_raw(c.get());
      FragmentResult r = scanner_.Scan({"", msg ? std::string_view(msg) : std::string_view()}, scratch_);
      AddMessageFindings(std::move(r), SourceKind::kCommitMessage, i, "", i);
    }
    for (size_t t = 0; t < new_.tags.size(); ++t) {
      GitPtr<git_tag> tag;
      if (git_tag_lookup(tag.out(), repo_.repo(), &new_.tags[t].id) < 0)
        return GitStatus("cannot read tag " + OidHex(new_.tags[t].id));
      const char* msg = git_tag_message(tag.get());
      FragmentResult r = scanner_.Scan({"", msg ? std::string_view(msg) : std::string_view()}, scratch_);
      AddMessageFindings(std::move(r), SourceKind::kTagMessage, kNoCommit, new_.tags[t].ref, new_.commits.size() + t);
    }
    return Status::Ok();
  }

  // Stage 4a (only with a fetcher, i.e. the gateway): a file with findings
  // whose previous version is not in the push (its parent commit or tree is
  // upstream) gets that version fetched, so a secret already in it is told
  // from a new one as in the hook. When that fails the versions stay unknown
  // and the findings count as introduced (fail closed); the report says so.
  Status FetchUnknownPrevious() {
    if (!o_.fetcher) return Status::Ok();
    std::vector<Occurrence*> occs;
    std::vector<PreviousLookup> todo;
    for (BlobWork& b : blobs_) {
      if (b.findings.empty()) continue;
      for (Occurrence& occ : b.occurrences) {
        if (!occ.previous_unknown || occ.path_skipped || occ.commit == kNoCommit) continue;
        PreviousLookup l;
        l.path = occ.path;
        GitPtr<git_commit> c;
        if (git_commit_lookup(c.out(), repo_.repo(), &new_.commits[occ.commit]) < 0)
          return GitStatus("cannot read commit " + OidHex(new_.commits[occ.commit]));
        for (unsigned i = 0; i < git_commit_parentcount(c.get()); ++i)
          l.parents.push_back(*git_commit_parent_id(c.get(), i));
        occs.push_back(&occ);
        todo.push_back(std::move(l));
      }
    }
    if (todo.empty()) return Status::Ok();
    Status s = previous_.Resolve(&todo, &out_->previous_unavailable);
    if (!s.ok()) return s;
    for (size_t i = 0; i < todo.size(); ++i) {
      if (!todo[i].resolved) {
        out_->stats.previous_unknown++;
        continue;
      }
      occs[i]->previous = std::move(todo[i].found);
      occs[i]->previous_unknown = false;
    }
    return Status::Ok();
  }

  // Stage 4: a hit per (finding, occurrence), pre-existing when an older
  // version of that file already had the secret.
  Status MarkPreExisting() {
    const uint64_t unreachable_order = new_.commits.size() + new_.tags.size() + new_.tagged.size();
    for (size_t bi = 0; bi < blobs_.size(); ++bi) {
      BlobWork& b = blobs_[bi];
      if (b.findings.empty()) continue;
      if (Cancelled()) return Status::DeadlineExceeded("cancelled");
      for (const Occurrence& occ : b.occurrences) {
        if (occ.path_skipped) continue;
        std::vector<const FingerprintSet*> prev;
        for (const git_oid& p : occ.previous)
          if (const FingerprintSet* fps = previous_.Fingerprints(p, occ.path)) prev.push_back(fps);
        const bool tagged = occ.commit == kNoCommit && !occ.unreachable;
        for (const Finding& f : b.findings) {
          Hit h{&f,
                occ.unreachable ? SourceKind::kUnreachable
                : tagged        ? SourceKind::kTaggedObject
                                : SourceKind::kFile,
                occ.commit,
                tagged ? new_.tagged[occ.tagged].ref : "",
                occ.path,
                occ.unreachable ? unreachable_order
                : tagged        ? new_.commits.size() + new_.tags.size() + occ.tagged
                                : occ.commit,
                false,
                bi};
          for (const auto* fps : prev)
            if (PreviousVersions::FoundIn(f, *fps)) h.pre_existing = true;
          hits_.push_back(std::move(h));
        }
      }
    }
    return Status::Ok();
  }

  CommitInfo Describe(uint32_t index) {
    CommitInfo info;
    const git_oid& id = new_.commits[index];
    info.id = OidHex(id);
    info.short_id = info.id.substr(0, 10);
    info.is_tip = tips_.count(info.id) > 0;
    GitPtr<git_commit> c;
    if (git_commit_lookup(c.out(), repo_.repo(), &id) < 0) return info;
    if (const git_signature* a = git_commit_author(c.get()))
      info.author = std::string(a->name ? a->name : "") + " <" + (a->email ? a->email : "") + ">";
    if (const char* s = git_commit_summary(c.get())) info.subject = ShortenUtf8(s, 72);
    info.parents = git_commit_parentcount(c.get());
    if (const git_signature* a = git_commit_author(c.get())) {
      info.time = a->when.time;
      info.offset = a->when.offset;
    }
    return info;
  }

  // Where a secret occurs: its distinct blobs, commits and paths.
  void Spread(const std::vector<size_t>& hs, PushFinding* pf) const {
    std::unordered_set<size_t> blobs;
    std::unordered_set<uint32_t> commits;
    std::unordered_set<std::string> paths;
    for (size_t k : hs) {
      const Hit& h = hits_[k];
      if (h.commit != kNoCommit) commits.insert(h.commit);
      if (!h.path.empty()) paths.insert(h.path);
      if (h.blob != SIZE_MAX && blobs.insert(h.blob).second) pf->blob_ids.push_back(OidHex(blob_ids_[h.blob]));
    }
    pf->blobs = static_cast<uint32_t>(blobs.size());
    pf->commits = static_cast<uint32_t>(commits.size());
    pf->paths = static_cast<uint32_t>(paths.size());
  }

  // "path:line (rule)" of a finding, for another finding's report.
  static std::string PlaceOf(const PushFinding& pf) {
    std::string place = pf.finding.path.empty() ? SourceKindName(pf.source) : pf.finding.path;
    if (pf.finding.location().offset != Location::kWholeFile) place += ":" + std::to_string(pf.finding.location().line);
    return place + " (" + pf.finding.rule_id + ")";
  }

  // Stage 5b: the halves of a pair that did not pair in their file (two
  // files, or far apart) but are introduced together, by the same push (the
  // hook, the gateway) or the same commit (a history scan, whose "push" is
  // the whole history): each becomes the pair's action and names the other.
  // Only halves whose rule is the pair's provider's own (not a generic rule
  // some pair also uses), so a lone key ID and any password elsewhere do
  // not make a pair.
  void PairAcrossFiles() {
    std::vector<PushFinding>& fs = out_->findings;
    const bool whole_push = o_.hide_existing_refs;
    for (const PairRule& pair : scanner_.rules().pairs) {
      std::vector<std::vector<size_t>> halves(pair.parts.size());
      size_t required = 0;
      for (size_t k = 0; k < pair.parts.size(); ++k) {
        if (pair.parts[k].optional) continue;
        ++required;
        for (size_t i = 0; i < fs.size(); ++i) {
          const Finding& f = fs[i].finding;
          if (fs[i].pre_existing || f.is_pair() || f.rule_id != pair.parts[k].rule) continue;
          if (f.provider.empty() || f.provider != pair.provider) continue;
          halves[k].push_back(i);
        }
      }
      if (required < 2) continue;
      // Every required part needs a half that shares the scope of the others.
      for (size_t a = 0; a < pair.parts.size(); ++a) {
        for (size_t i : halves[a]) {
          std::vector<std::string> others;
          bool complete = true;
          for (size_t b = 0; b < pair.parts.size() && complete; ++b) {
            if (b == a || pair.parts[b].optional) continue;
            bool found = false;
            for (size_t j : halves[b]) {
              if (!whole_push && fs[j].commit.id != fs[i].commit.id) continue;
              if (others.size() < 3) others.push_back(PlaceOf(fs[j]));
              found = true;
            }
            complete = found;
          }
          if (!complete) continue;
          fs[i].pair_rule = pair.id;
          fs[i].paired_with = std::move(others);
          if (pair.action == Action::kBlock) fs[i].finding.action = Action::kBlock;
        }
      }
    }
  }

  // Stage 5: one PushFinding per secret, from its oldest introducing place.
  Status Group() {
    std::unordered_map<std::string, std::vector<size_t>> by_secret;
    std::vector<std::string> secret_order;
    for (size_t i = 0; i < hits_.size(); ++i) {
      // One group per rule and credential values (as the fingerprint was
      // before 0.2): a pair is not merged with a lone ID of the same key.
      auto [it, inserted] = by_secret.try_emplace(hits_[i].finding->legacy_fingerprint);
      if (inserted) secret_order.push_back(it->first);
      it->second.push_back(i);
    }
    for (const std::string& fp : secret_order) {
      std::vector<size_t>& hs = by_secret[fp];
      // An unmarked place of a secret wins over one marked akgate:allow,
      // so a mark in one file cannot hide the same secret in another.
      std::stable_sort(hs.begin(), hs.end(), [&](size_t a, size_t b) {
        if (hits_[a].pre_existing != hits_[b].pre_existing) return !hits_[a].pre_existing;
        if (hits_[a].finding->inline_allowed != hits_[b].finding->inline_allowed)
          return !hits_[a].finding->inline_allowed;
        return hits_[a].order < hits_[b].order;
      });
      const Hit& h = hits_[hs.front()];
      PushFinding pf;
      pf.finding = *h.finding;
      pf.finding.path = h.path.empty() || h.finding->member.empty() ? h.path : h.path + "!" + h.finding->member;
      pf.source = h.source;
      pf.ref = h.ref;
      pf.pre_existing = h.pre_existing;
      for (size_t k = 1; k < hs.size(); ++k)
        if (hits_[hs[k]].pre_existing == h.pre_existing) pf.also_in++;
      Spread(hs, &pf);
      if (h.commit != kNoCommit) pf.commit = Describe(h.commit);
      out_->findings.push_back(std::move(pf));
      order_.push_back(h.order);
    }
    PairAcrossFiles();
    // Introduced before pre-existing; oldest commit first; then by place.
    std::vector<size_t> idx(out_->findings.size());
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    const auto& fs = out_->findings;
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
      if (fs[a].pre_existing != fs[b].pre_existing) return !fs[a].pre_existing;
      if (order_[a] != order_[b]) return order_[a] < order_[b];
      if (fs[a].finding.path != fs[b].finding.path) return fs[a].finding.path < fs[b].finding.path;
      return fs[a].finding.location().line < fs[b].finding.location().line;
    });
    std::vector<PushFinding> sorted;
    sorted.reserve(idx.size());
    for (size_t i : idx) sorted.push_back(std::move(out_->findings[i]));
    out_->findings = std::move(sorted);
    return Status::Ok();
  }

  const Repository& repo_;
  const Scanner& scanner_;
  const InspectOptions& o_;
  PushInspection* out_;
  ScanScratch scratch_;
  PreviousVersions previous_;
  NewObjects new_;
  std::unordered_set<std::string> tips_;
  OidMap<size_t> blob_index_;
  std::vector<git_oid> blob_ids_;
  std::vector<BlobWork> blobs_;
  std::unordered_map<std::string, bool> path_skipped_;
  std::vector<std::unique_ptr<Finding>> message_findings_;
  std::vector<Hit> hits_;
  std::vector<uint64_t> order_;
};

}  // namespace

Status InspectPush(const Repository& repo, const Scanner& scanner, const std::vector<RefUpdate>& updates,
                   const InspectOptions& options, PushInspection* out) {
  auto started = std::chrono::steady_clock::now();
  Inspector inspector(repo, scanner, options, out);
  Status s = inspector.Run(updates);
  out->stats.duration_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return s;
}

}  // namespace akgate
