// The order to read blobs in: the order they sit in their pack files.
//
// A pushed pack stores most blobs as deltas against nearby objects. Reading
// in object-id order (what git_odb_foreach gives) jumps around the pack and
// defeats libgit2's delta-base cache; reading in pack-offset order is the
// cheap order (measured in the design notes: about half the time on the
// git/git history). libgit2 1.5 does not expose offsets, so this reads the
// pack indexes directly (pack_index.h). Everything here is an optimisation:
// an unreadable index only means the objects are read in id order.
#pragma once

#include <git2/oid.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace akgate {

class PackIndex;

class PackOrder {
 public:
  // Maps the pack indexes under each `<dir>/pack/`, in the given order (at
  // most `max_packs` of them).
  explicit PackOrder(const std::vector<std::string>& object_dirs, size_t max_packs = 64);
  ~PackOrder();
  PackOrder(const PackOrder&) = delete;
  PackOrder& operator=(const PackOrder&) = delete;

  // (pack number << 48) | offset, or UINT64_MAX when in no mapped pack.
  uint64_t Key(const git_oid& id) const;

  // Sorts `ids` by Key, ties (loose objects) by id.
  void Sort(std::vector<git_oid>* ids) const;

  size_t packs() const { return packs_.size(); }

 private:
  std::vector<std::unique_ptr<PackIndex>> packs_;
};

}  // namespace akgate
