#include "git/pack_index.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

namespace akgate {

namespace {

uint32_t Be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

}  // namespace

PackIndex::~PackIndex() {
  if (map_) munmap(const_cast<unsigned char*>(map_), size_);
}

bool PackIndex::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  bool ok = fstat(fd, &st) == 0 && st.st_size >= 8 + 256 * 4;
  if (ok) {
    void* m = mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) {
      ok = false;
    } else {
      map_ = static_cast<const unsigned char*>(m);
      size_ = st.st_size;
    }
  }
  ::close(fd);
  if (!ok) return false;
  if (std::memcmp(map_, "\377tOc", 4) != 0 || Be32(map_ + 4) != 2) return false;
  count_ = Be32(map_ + 8 + 255 * 4);
  // ids, crcs, 32-bit offsets, and the trailer's two hashes at least.
  return size_ >= 8 + 256 * 4 + uint64_t{count_} * (20 + 4 + 4) + 40;
}

bool PackIndex::Find(const git_oid& id, uint64_t* offset) const {
  if (!map_ || !count_) return false;
  const unsigned char* fan = map_ + 8;
  uint32_t lo = id.id[0] == 0 ? 0 : Be32(fan + (id.id[0] - 1) * 4);
  uint32_t hi = Be32(fan + id.id[0] * 4);
  const unsigned char* ids = fan + 256 * 4;
  if (lo > hi || hi > count_) return false;  // a corrupt fan-out table
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    int c = std::memcmp(ids + uint64_t{mid} * 20, id.id, 20);
    if (c == 0) {
      const unsigned char* off32 = ids + uint64_t{count_} * 24;
      uint32_t o = Be32(off32 + uint64_t{mid} * 4);
      if (!(o & 0x80000000u)) {
        *offset = o;
        return true;
      }
      const unsigned char* off64 = off32 + uint64_t{count_} * 4 + uint64_t{o & 0x7fffffffu} * 8;
      if (off64 + 8 > map_ + size_) return false;
      *offset = (uint64_t{Be32(off64)} << 32) | Be32(off64 + 4);
      return true;
    }
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return false;
}

}  // namespace akgate
