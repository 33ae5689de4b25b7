// Pack index version 2 (gitformat-pack): "\377tOc", version 2, 256 fan-out
// counts, N object ids, N CRC32s, N 32-bit offsets (MSB set: index into the
// 64-bit table), then the 64-bit offsets. All big-endian.
#include "git/pack_order.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace akgate {

namespace {

uint32_t Be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

}  // namespace

struct PackOrder::Index {
  const unsigned char* map = nullptr;
  size_t size = 0;
  uint32_t count = 0;
  ~Index() {
    if (map) munmap(const_cast<unsigned char*>(map), size);
  }

  bool Open(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st;
    bool ok = fstat(fd, &st) == 0 && st.st_size >= 8 + 256 * 4;
    if (ok) {
      void* m = mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
      if (m == MAP_FAILED) ok = false;
      else {
        map = static_cast<const unsigned char*>(m);
        size = st.st_size;
      }
    }
    ::close(fd);
    if (!ok) return false;
    if (std::memcmp(map, "\377tOc", 4) != 0 || Be32(map + 4) != 2) return false;
    count = Be32(map + 8 + 255 * 4);
    // ids, crcs, 32-bit offsets, the trailer's two hashes at least.
    return size >= 8 + 256 * 4 + uint64_t{count} * (20 + 4 + 4) + 40;
  }

  // The pack offset of `id`, or false.
  bool Find(const git_oid& id, uint64_t* offset) const {
    const unsigned char* fan = map + 8;
    uint32_t lo = id.id[0] == 0 ? 0 : Be32(fan + (id.id[0] - 1) * 4);
    uint32_t hi = Be32(fan + id.id[0] * 4);
    const unsigned char* ids = fan + 256 * 4;
    if (lo > hi || hi > count) return false;  // a corrupt fan-out table
    while (lo < hi) {
      uint32_t mid = lo + (hi - lo) / 2;
      int c = std::memcmp(ids + uint64_t{mid} * 20, id.id, 20);
      if (c == 0) {
        const unsigned char* off32 = ids + uint64_t{count} * 24;
        uint32_t o = Be32(off32 + uint64_t{mid} * 4);
        if (!(o & 0x80000000u)) {
          *offset = o;
          return true;
        }
        const unsigned char* off64 = off32 + uint64_t{count} * 4 + uint64_t{o & 0x7fffffffu} * 8;
        if (off64 + 8 > map + size) return false;
        *offset = (uint64_t{Be32(off64)} << 32) | Be32(off64 + 4);
        return true;
      }
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return false;
  }
};

PackOrder::PackOrder(const std::vector<std::string>& object_dirs, size_t max_packs) {
  namespace fs = std::filesystem;
  for (const std::string& dir : object_dirs) {
    std::error_code ec;
    std::vector<std::string> idx;
    for (fs::directory_iterator it(fs::path(dir) / "pack", ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".idx") idx.push_back(it->path().string());
    std::sort(idx.begin(), idx.end());
    for (const std::string& p : idx) {
      if (packs_.size() >= max_packs) return;
      auto index = std::make_unique<Index>();
      if (index->Open(p)) packs_.push_back(std::move(index));
    }
  }
}

PackOrder::~PackOrder() = default;

uint64_t PackOrder::Key(const git_oid& id) const {
  for (size_t i = 0; i < packs_.size(); ++i) {
    uint64_t off;
    if (packs_[i]->Find(id, &off)) return (uint64_t{i} << 48) | (off & ((uint64_t{1} << 48) - 1));
  }
  return UINT64_MAX;
}

void PackOrder::Sort(std::vector<git_oid>* ids) const {
  std::vector<std::pair<uint64_t, size_t>> keys(ids->size());
  for (size_t i = 0; i < ids->size(); ++i) keys[i] = {Key((*ids)[i]), i};
  std::sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return git_oid_cmp(&(*ids)[a.second], &(*ids)[b.second]) < 0;
  });
  std::vector<git_oid> sorted(ids->size());
  for (size_t i = 0; i < keys.size(); ++i) sorted[i] = (*ids)[keys[i].second];
  *ids = std::move(sorted);
}

}  // namespace akgate
