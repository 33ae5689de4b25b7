// Where a push waits while it is inspected: one private temporary directory
// per push holding
//
//   body            the request body exactly as the client sent it (what is
//                   forwarded upstream if the push is clean)
//   objects/pack/   the pack, indexed by libgit2's indexer as it streams in
//
// The directory is removed when the PushSpool is destroyed, whatever happened
// (clean, rejected, client gone, upstream error), so nothing is left behind.
// A process that dies without destroying it (SIGKILL, a crash) leaves it:
// each spool holds a lock (flock) on its directory for its life, and
// RemoveStale, at start, removes the spools whose lock nobody holds, so
// gateways may share a temp_dir.
// Nothing of the pack is held in memory: the body goes to a file and the
// indexer writes its own pack file.
//
// Not thread-safe; a push uses its spool from one strand, and Commit() (the
// heavy part) may run on a worker thread while nothing else touches it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/status.h"
#include "gateway/pack_writer.h"

namespace akgate::gateway {

class PushSpool {
 public:
  // Creates `temp_root`/push-XXXXXX (mode 0700).
  static Status Create(const std::string& temp_root, std::unique_ptr<PushSpool>* out);
  // Removes the spools under `temp_root` that no living process holds (left
  // by one that was killed); returns how many.
  static unsigned RemoveStale(const std::string& temp_root);
  ~PushSpool();
  PushSpool(const PushSpool&) = delete;
  PushSpool& operator=(const PushSpool&) = delete;

  // The raw body, appended as received.
  Status AppendBody(std::string_view raw);
  // Pack bytes (after the command list), streamed into the indexer.
  Status AppendPack(std::string_view bytes);
  // Resolves deltas and writes the index. A thin pack (a delta whose base is
  // not in the pack) fails here: the gateway has no objects to complete it.
  // *cancel (the push's time budget) stops it early with "cancelled".
  Status CommitPack(const std::atomic<bool>* cancel = nullptr);

  bool has_pack() const { return pack_.started(); }
  const std::string& dir() const { return dir_; }
  std::string objects_dir() const { return dir_ + "/objects"; }
  std::string body_path() const { return dir_ + "/body"; }
  uint64_t body_bytes() const { return body_bytes_; }
  unsigned pack_objects() const { return pack_.objects(); }

 private:
  explicit PushSpool(std::string dir) : dir_(std::move(dir)), pack_(dir_ + "/objects/pack") {}
  std::string dir_;
  int lock_fd_ = -1;  // the directory, flock'ed while the spool lives
  int body_fd_ = -1;
  uint64_t body_bytes_ = 0;
  PackWriter pack_;
};

}  // namespace akgate::gateway
