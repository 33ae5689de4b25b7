// Objects a push refers to but does not carry, fetched from where they live.
//
// The gateway holds only the pushed pack: the parents of its first commits
// and the trees and blobs they share with it are upstream. For a file with a
// finding in such a commit, whether it existed before and what it held are
// upstream too, and without them a secret that was already in the file
// cannot be told from a new one. The inspector (push_inspector.h) then asks
// an ObjectFetcher for exactly the objects on the way to that version: the
// parent commits and trees first (no blobs), then the previous blobs
// themselves. Nothing else is fetched, and only for files with findings.
//
// The hook never needs one: a repository holds every object a push refers to.
#pragma once

#include <git2/oid.h>

#include <atomic>
#include <string>
#include <vector>

#include "engine/status.h"

namespace akgate {

struct FetchWants {
  std::vector<git_oid> commits;  // fetched without their history, with their trees (no blobs)
  std::vector<git_oid> trees;    // fetched with their subtrees (no blobs)
  std::vector<git_oid> blobs;    // fetched as they are; never asked together with the above
  bool empty() const { return commits.empty() && trees.empty() && blobs.empty(); }
};

class ObjectFetcher {
 public:
  virtual ~ObjectFetcher() = default;
  // Fetches `wants` into a new objects directory (a pack under it) and
  // returns its path in *objects_dir, to be added as an alternate. Stops early
  // with an error when *cancel becomes true. Errors say what failed in words
  // for the pusher (no credentials).
  virtual Status Fetch(const FetchWants& wants, const std::atomic<bool>* cancel, std::string* objects_dir) = 0;
};

}  // namespace akgate
