// Which objects a push brings: the new commits, annotated tags and tagged
// trees or blobs. Everything else in the push was already in the repository.
//
// New commits are those reachable from the pushed tips and from no existing
// ref (`git rev-list <new>... --not --all`). Inside pre-receive the refs are
// still the pre-push state, so:
//   - a new branch from an old base brings only the commits after the base;
//   - a force push brings only its own commits, not the overwritten ones;
//   - a deletion brings nothing; a new ref at an existing commit, nothing.
// Scanning the quarantine instead is wrong both ways (see
// docs/hook.md): thin-pack bases look new, resurrected objects look old.
//
// Annotated tags are content (their message), and a ref may name a tree or a
// blob directly or through tags: those are returned too.
#pragma once

#include <git2/oid.h>
#include <git2/types.h>

#include <atomic>
#include <string>
#include <vector>

#include "engine/status.h"
#include "git/ref_update.h"
#include "git/repository.h"

namespace akgate {

// What an object absent from the object database means.
enum class MissingObjects {
  // The hook: git checked the push is complete before running pre-receive,
  // so a missing object is an error (corruption, or a shallow repository).
  kError,
  // A gateway holding only the pushed pack: an absent object already exists
  // upstream and is not new. Nothing can be compared with it.
  kExistUpstream,
  // A repository read as it is (the history scan): a partial or shallow
  // clone lacks objects by design. An absent object is skipped and counted,
  // never fatal; the report says how many.
  kSkip,
};

struct NewTag {
  git_oid id;       // the tag object
  std::string ref;  // the ref it was pushed as ("refs/tags/v1.0")
};

struct TaggedContent {
  git_oid id;         // a tree or a blob named by a ref (directly or via tags)
  git_object_t type;  // GIT_OBJECT_TREE or GIT_OBJECT_BLOB
  std::string ref;
};

struct NewObjects {
  std::vector<git_oid> commits;       // new commits, parents before children
  std::vector<NewTag> tags;           // new annotated tag objects
  std::vector<TaggedContent> tagged;  // trees and blobs named by refs
  uint32_t deletions = 0;             // ref updates that delete a ref
  uint64_t absent_commits = 0;        // MissingObjects::kSkip: commits not in the object database
  // With NewObjectsOptions::record_parents: the parents of commits[i] are
  // commits[parents[k]] for k in [parent_begin[i], parent_begin[i + 1]);
  // parents that are absent or not new are left out.
  std::vector<uint32_t> parent_begin;
  std::vector<uint32_t> parents;
};

struct NewObjectsOptions {
  MissingObjects missing = MissingObjects::kError;
  const std::atomic<bool>* cancel = nullptr;  // checked between commits
  // The hook: everything the existing refs reach is old. The history scan
  // turns this off: every commit the given tips reach is "new".
  bool hide_existing_refs = true;
  // A push seen from the client (akgate scan A..B, the pre-push hook): what
  // these commits reach is old (the remote has it), instead of what every
  // ref reaches; a local clone's own branches already hold the commits being
  // pushed. Empty (and set): every commit the tips reach is new.
  const std::vector<git_oid>* hide_commits = nullptr;
  bool record_parents = false;  // fill NewObjects::parent_begin / parents
};

Status FindNewObjects(const Repository& repo, const std::vector<RefUpdate>& updates, const NewObjectsOptions& options,
                      NewObjects* out);

}  // namespace akgate
