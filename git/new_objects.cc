// Tips from the ref updates, then a revision walk that hides everything the
// existing refs reach.
#include "git/new_objects.h"

#include <git2/commit.h>
#include <git2/errors.h>
#include <git2/object.h>
#include <git2/refs.h>
#include <git2/revwalk.h>
#include <git2/tag.h>

#include <cstring>
#include <set>
#include <unordered_set>

#include "git/git_error.h"
#include "git/oid_map.h"

namespace akgate {

namespace {

bool Cancelled(const NewObjectsOptions& o) { return o.cancel && o.cancel->load(std::memory_order_relaxed); }

// The direct targets of every existing ref: a tag object or a tree/blob that
// an existing ref already names is not new.
Status ExistingRefTargets(git_repository* repo, OidSet* out) {
  git_reference_iterator* it = nullptr;
  if (git_reference_iterator_new(&it, repo) < 0) return GitStatus("cannot list the repository's refs");
  git_reference* ref = nullptr;
  int rc;
  while ((rc = git_reference_next(&ref, it)) == 0) {
    if (const git_oid* t = git_reference_target(ref)) out->insert(*t);
    git_reference_free(ref);
  }
  git_reference_iterator_free(it);
  if (rc != GIT_ITEROVER) return GitStatus("cannot list the repository's refs");
  return Status::Ok();
}

class Collector {
 public:
  Collector(const Repository& repo, const NewObjectsOptions& o, NewObjects* out) : repo_(repo), o_(o), out_(out) {}

  // Follows one pushed object through tags to a commit (returned in *tip),
  // recording new tags and tagged trees/blobs on the way.
  Status Peel(const git_oid& start, const std::string& ref, std::vector<git_oid>* tips) {
    git_oid id = start;
    for (int depth = 0; depth < 64; ++depth) {
      git_object* obj = nullptr;
      int rc = git_object_lookup(&obj, repo_.repo(), &id, GIT_OBJECT_ANY);
      if (rc == GIT_ENOTFOUND && o_.missing != MissingObjects::kError && !git_odb_exists(repo_.odb(), &id)) {
        if (o_.missing == MissingObjects::kSkip) out_->absent_commits++;  // counted with the commits
        return Status::Ok();
      }
      if (rc < 0) return GitStatus("cannot read object " + OidHex(id) + " pushed to " + Printable(ref), rc);
      git_object_t type = git_object_type(obj);
      if (type == GIT_OBJECT_COMMIT) {
        tips->push_back(id);
        git_object_free(obj);
        return Status::Ok();
      }
      if (type == GIT_OBJECT_TREE || type == GIT_OBJECT_BLOB) {
        if (!AlreadyNamed(id) && seen_tagged_.insert(id).second) out_->tagged.push_back({id, type, ref});
        git_object_free(obj);
        return Status::Ok();
      }
      if (type != GIT_OBJECT_TAG) {
        git_object_free(obj);
        return Status::Corrupt("object " + OidHex(id) + " pushed to " + Printable(ref) + " has an unknown type");
      }
      const git_tag* tag = reinterpret_cast<const git_tag*>(obj);
      if (!AlreadyNamed(id) && seen_tags_.insert(id).second) out_->tags.push_back({id, ref});
      git_oid target = *git_tag_target_id(tag);
      git_object_free(obj);
      id = target;
    }
    return Status::Corrupt("tag chain deeper than 64 tags at " + Printable(ref));
  }

  Status Prepare() {
    if (o_.hide_existing_refs && !o_.hide_commits && o_.missing == MissingObjects::kError && !repo_.objects_only())
      return ExistingRefTargets(repo_.repo(), &ref_targets_);
    return Status::Ok();
  }

 private:
  bool AlreadyNamed(const git_oid& id) const { return ref_targets_.count(id) > 0; }

  const Repository& repo_;
  const NewObjectsOptions& o_;
  NewObjects* out_;
  OidSet ref_targets_, seen_tags_, seen_tagged_;
};

// The hook: libgit2's revision walk, hiding everything the refs reach.
Status WalkHidingRefs(const Repository& repo, const std::vector<git_oid>& tips, const NewObjectsOptions& o,
                      std::vector<git_oid>* commits) {
  git_revwalk* walk = nullptr;
  if (git_revwalk_new(&walk, repo.repo()) < 0) return GitStatus("cannot start a revision walk");
  struct Free {
    git_revwalk* w;
    ~Free() { git_revwalk_free(w); }
  } free_walk{walk};
  git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
  for (const git_oid& t : tips)
    if (git_revwalk_push(walk, &t) < 0) return GitStatus("cannot walk from commit " + OidHex(t));
  if (o.hide_commits) {
    for (const git_oid& h : *o.hide_commits)
      if (git_revwalk_hide(walk, &h) < 0) return GitStatus("cannot hide the commits " + OidHex(h) + " reaches");
  } else if (!repo.objects_only() && git_revwalk_hide_glob(walk, "refs/*") < 0) {
    return GitStatus("cannot hide the commits the existing refs reach");
  }
  git_oid id;
  int rc;
  while ((rc = git_revwalk_next(&id, walk)) == 0) {
    if (Cancelled(o)) return Status::DeadlineExceeded("cancelled");
    commits->push_back(id);
  }
  if (rc != GIT_ITEROVER) return GitStatus("revision walk failed");
  return Status::Ok();
}

// The gateway: commits present in the object database, stopping at absent
// ones (they exist upstream). The history scan: every commit the tips reach,
// absent ones counted. Depth-first, parents emitted before children.
Status WalkPresentCommits(const Repository& repo, const std::vector<git_oid>& tips, const NewObjectsOptions& o,
                          NewObjects* out) {
  std::vector<git_oid>* commits = &out->commits;
  OidSet seen;
  OidMap<uint32_t> index;  // with record_parents: commit -> its place in *commits
  struct Frame {
    git_oid id;
    std::vector<git_oid> parents;
    size_t next = 0;
  };
  std::vector<Frame> stack;
  auto enter = [&](const git_oid& id) -> Status {
    if (!seen.insert(id).second) return Status::Ok();
    if (!git_odb_exists(repo.odb(), &id)) {  // upstream already has it, or (kSkip) it is absent
      if (o.missing == MissingObjects::kSkip) out->absent_commits++;
      return Status::Ok();
    }
    git_commit* c = nullptr;
    if (git_commit_lookup(&c, repo.repo(), &id) < 0) return GitStatus("cannot read commit " + OidHex(id));
    Frame f{id, {}, 0};
    for (unsigned i = 0; i < git_commit_parentcount(c); ++i) f.parents.push_back(*git_commit_parent_id(c, i));
    git_commit_free(c);
    stack.push_back(std::move(f));
    return Status::Ok();
  };
  for (const git_oid& t : tips) {
    Status s = enter(t);
    if (!s.ok()) return s;
    while (!stack.empty()) {
      if (Cancelled(o)) return Status::DeadlineExceeded("cancelled");
      Frame& top = stack.back();
      if (top.next < top.parents.size()) {
        git_oid p = top.parents[top.next++];
        s = enter(p);  // may reallocate the stack: `top` is not used after this
        if (!s.ok()) return s;
        continue;
      }
      if (o.record_parents) {
        out->parent_begin.push_back(static_cast<uint32_t>(out->parents.size()));
        for (const git_oid& p : top.parents)
          if (auto it = index.find(p); it != index.end()) out->parents.push_back(it->second);
        index.emplace(top.id, static_cast<uint32_t>(commits->size()));
      }
      commits->push_back(top.id);
      stack.pop_back();
    }
  }
  return Status::Ok();
}

}  // namespace

Status FindNewObjects(const Repository& repo, const std::vector<RefUpdate>& updates, const NewObjectsOptions& o,
                      NewObjects* out) {
  Collector collector(repo, o, out);
  Status s = collector.Prepare();
  if (!s.ok()) return s;
  std::vector<git_oid> tips;
  for (const RefUpdate& u : updates) {
    if (u.is_delete()) {
      out->deletions++;
      continue;
    }
    git_oid id;
    if (git_oid_fromstr(&id, u.new_id.c_str()) < 0) return Status::InvalidArgument("bad object id " + u.new_id);
    s = collector.Peel(id, u.ref, &tips);
    if (!s.ok()) return s;
  }
  if (!tips.empty()) {
    // The history scan (no refs hidden) and the gateway walk present commits
    // themselves; the hook hides what the refs reach with libgit2's walk.
    s = o.hide_commits && !o.record_parents ? WalkHidingRefs(repo, tips, o, &out->commits)
        : o.missing != MissingObjects::kError || repo.objects_only() || !o.hide_existing_refs || o.record_parents
            ? WalkPresentCommits(repo, tips, o, out)
            : WalkHidingRefs(repo, tips, o, &out->commits);
    if (!s.ok()) return s;
  }
  if (o.record_parents) out->parent_begin.push_back(static_cast<uint32_t>(out->parents.size()));
  return Status::Ok();
}

}  // namespace akgate
