// A pack as it streams in, handed to libgit2's indexer, which writes the
// pack and its index into a pack directory. Used for a pushed pack (the
// spool) and for objects fetched from the upstream (upstream_fetcher.h).
//
//   PackWriter w(objects_dir + "/pack");
//   Status s = w.Append(bytes);   // as often as bytes arrive
//   s = w.Commit();               // deltas resolved, index written
//
// No object database stands behind the indexer: a delta whose base is not in
// the pack (a thin pack) fails at Commit. Nothing is held in memory beyond
// libgit2's own buffers.
#pragma once

#include <atomic>
#include <string>
#include <string_view>

#include "engine/status.h"

struct git_indexer;
struct git_indexer_progress;

namespace akgate::gateway {

class PackWriter {
 public:
  explicit PackWriter(std::string pack_dir) : pack_dir_(std::move(pack_dir)) {}
  ~PackWriter();
  PackWriter(const PackWriter&) = delete;
  PackWriter& operator=(const PackWriter&) = delete;

  // Pack bytes; the first call creates the pack directory and the indexer.
  Status Append(std::string_view bytes);
  // Resolves deltas and writes the index (nothing to do before any Append).
  // Stops with an error ("cancelled") soon after *cancel becomes true: a
  // pack of many deltas is the push's time budget too.
  Status Commit(const std::atomic<bool>* cancel = nullptr);

  bool started() const { return indexer_ != nullptr; }
  unsigned objects() const { return objects_; }

 private:
  std::string pack_dir_;
  git_indexer* indexer_ = nullptr;
  // libgit2 keeps its counts in the caller's progress struct: the same one
  // must go to every append and to the commit.
  git_indexer_progress* progress_ = nullptr;  // owned
  unsigned objects_ = 0;
  const std::atomic<bool>* cancel_ = nullptr;  // read by the indexer's progress callback
};

}  // namespace akgate::gateway
