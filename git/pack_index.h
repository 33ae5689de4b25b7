// A pack index (.idx, version 2), memory-mapped: object id -> offset in the
// pack. Shared by pack_order.h (which order to read blobs in) and
// pack_reader.h (reading objects from a pushed pack).
//
// gitformat-pack: "\377tOc", version 2, 256 fan-out counts, N object ids,
// N CRC32s, N 32-bit offsets (MSB set: index into the 64-bit table), then
// the 64-bit offsets. All big-endian. Version 1 indexes are not read (git
// has not written them since 2008); callers fall back to libgit2.
#pragma once

#include <git2/oid.h>

#include <cstdint>
#include <string>

namespace akgate {

class PackIndex {
 public:
  PackIndex() = default;
  ~PackIndex();
  PackIndex(const PackIndex&) = delete;
  PackIndex& operator=(const PackIndex&) = delete;

  // Maps `idx_path`; false when it cannot be read or is not a v2 index.
  bool Open(const std::string& idx_path);

  // The offset of `id` in the pack, or false when the pack does not hold it.
  bool Find(const git_oid& id, uint64_t* offset) const;

  uint32_t count() const { return count_; }

 private:
  const unsigned char* map_ = nullptr;
  size_t size_ = 0;
  uint32_t count_ = 0;
};

}  // namespace akgate
