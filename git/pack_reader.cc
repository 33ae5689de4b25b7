// Pack format (gitformat-pack): "PACK", version, count; then objects, each a
// type-and-size header, for OFS_DELTA a relative base offset, for REF_DELTA
// a base id, then zlib data. A delta: source size, target size (base-128
// varints), then copy (from the base) and insert (literal) instructions.
#include "git/pack_reader.h"

#include <fcntl.h>
#include <git2/errors.h>
#include <git2/sys/odb_backend.h>
#include <libdeflate.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <system_error>

#include "git/git_error.h"
#include "git/oid_map.h"
#include "git/pack_index.h"

namespace akgate {

namespace {

constexpr size_t kMaxCachedObject = size_t{4} << 20;
constexpr int kMaxChain = 10000;
constexpr int kObjOfsDelta = 6, kObjRefDelta = 7;
constexpr uint64_t kFileResidentBudget = uint64_t{256} << 20;
constexpr uint64_t kCheckEvery = 4096;
// Deflate cannot expand a byte of input to more than 1032 bytes of output: a
// header declaring more than that for the rest of the pack is a lie, and is
// refused before anything is allocated for it.
constexpr uint64_t kMaxInflateRatio = 1032;

// The process's resident file-backed memory (statm's "shared": mapped
// files, the pack among them), or 0 when /proc cannot be read.
uint64_t FileResidentBytes() {
  int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[128];
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0) return 0;
  buf[n] = '\0';
  // "size resident shared ..." in pages; the third field is wanted.
  char* p = buf;
  unsigned long long shared = 0;
  for (int field = 0; field < 3; ++field) {
    char* end = nullptr;
    errno = 0;
    shared = std::strtoull(p, &end, 10);
    if (end == p || errno == ERANGE) return 0;
    p = end;
  }
  return shared * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace

struct PackReader::Pack {
  PackIndex index;
  std::string name;  // the pack file's name, for messages
  const unsigned char* map = nullptr;
  size_t size = 0;
  mutable std::atomic<uint64_t> reads{0};  // see NoteRead
  ~Pack() {
    if (map) munmap(const_cast<unsigned char*>(map), size);
  }
  bool Open(const std::string& idx_path, int fd) {
    if (!index.Open(idx_path)) return false;
    struct stat st;
    bool ok = fstat(fd, &st) == 0 && st.st_size >= 12 + 20;
    if (ok) {
      void* m = mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
      if (m == MAP_FAILED)
        ok = false;
      else {
        map = static_cast<const unsigned char*>(m);
        size = st.st_size;
      }
    }
    return ok && std::memcmp(map, "PACK", 4) == 0;
  }

  // Pages of the mapping stay resident once read, so reading a whole
  // 430 MB pack made the hook's resident memory grow by as much. Every
  // kCheckEvery reads the process's file-backed resident memory is looked up
  // (/proc/self/statm, one small read); above kFileResidentBudget the pages
  // of this mapping are given back to the page cache. MADV_DONTNEED on a
  // read-only file mapping loses nothing: the next read faults them back in
  // from the cache, and what stays hot is in the readers' object caches.
  // (Counting bytes read instead was far off: the kernel maps up to 64 KiB
  // around each fault, so scattered 300-byte trees made whole regions
  // resident, and dropping by that estimate doubled the hook's time.)
  void NoteRead() const {
    if ((reads.fetch_add(1, std::memory_order_relaxed) + 1) % kCheckEvery != 0) return;
    if (FileResidentBytes() > kFileResidentBudget) madvise(const_cast<unsigned char*>(map), size, MADV_DONTNEED);
  }

  // The object header at `offset`: type, inflated size, and where its data
  // (after the base reference for deltas) starts.
  bool Header(uint64_t offset, int* type, uint64_t* size_out, uint64_t* data, uint64_t* base_offset,
              git_oid* base_id) const {
    const uint64_t end = size - 20;  // the trailing checksum
    if (offset < 12 || offset >= end) return false;
    uint64_t p = offset;
    unsigned char c = map[p++];
    *type = (c >> 4) & 7;
    uint64_t sz = c & 15;
    int shift = 4;
    while (c & 0x80) {
      if (p >= end || shift > 57) return false;
      c = map[p++];
      sz |= uint64_t{c & 0x7fu} << shift;
      shift += 7;
    }
    *size_out = sz;
    if (*type == kObjOfsDelta) {
      if (p >= end) return false;
      c = map[p++];
      uint64_t rel = c & 127;
      while (c & 0x80) {
        if (p >= end || rel > (uint64_t{1} << 56)) return false;
        c = map[p++];
        rel = ((rel + 1) << 7) | (c & 127);
      }
      if (rel == 0 || rel > offset) return false;
      *base_offset = offset - rel;
    } else if (*type == kObjRefDelta) {
      if (p + 20 > end) return false;
      std::memcpy(base_id->id, map + p, 20);
      p += 20;
    } else if (*type < 1 || *type > 4) {
      return false;
    }
    *data = p;
    return true;
  }

  // Whether the zlib data at `data` could inflate to `declared` bytes: a
  // header declaring more is refused before anything is allocated for it.
  bool CanHold(uint64_t data, uint64_t declared) const {
    return declared <= (size - 20 - data) * kMaxInflateRatio + 64;
  }

  // Inflates exactly `want` bytes: the whole object with libdeflate (about
  // twice zlib's speed on a pack's small streams; inflating is most of a
  // large push's CPU), which reads from the mapping and reports nothing
  // past the stream's end.
  bool Inflate(uint64_t data, uint64_t want, unsigned char* out, libdeflate_decompressor* d) const {
    size_t in_used = 0;
    libdeflate_result rc = libdeflate_zlib_decompress_ex(d, map + data, size - 20 - data, out, want, &in_used, nullptr);
    NoteRead();
    return rc == LIBDEFLATE_SUCCESS;
  }

  // The inflated size of the stream at `data`, counted in pieces, or false
  // when the stream is broken or does not end.
  bool InflatedSize(uint64_t data, uint64_t* out) const {
    z_stream z{};
    if (inflateInit(&z) != Z_OK) return false;
    unsigned char buf[1 << 16];
    uint64_t in_left = size - 20 - data, total = 0;
    z.next_in = const_cast<unsigned char*>(map + data);
    int rc = Z_OK;
    while (rc == Z_OK) {
      if (z.avail_in == 0) {
        z.avail_in = static_cast<uInt>(std::min<uint64_t>(in_left, UINT32_MAX));
        in_left -= z.avail_in;
      }
      z.next_out = buf;
      z.avail_out = sizeof buf;
      rc = inflate(&z, Z_NO_FLUSH);
      total += sizeof buf - z.avail_out;
      if (rc == Z_BUF_ERROR && z.avail_in == 0 && in_left > 0) rc = Z_OK;
    }
    NoteRead();
    inflateEnd(&z);
    *out = total;
    return rc == Z_STREAM_END;
  }

  // A delta's first `want` bytes (its two size varints), with zlib: libdeflate
  // only inflates whole streams.
  bool InflatePrefix(uint64_t data, uint64_t want, unsigned char* out) const {
    z_stream z{};
    if (inflateInit(&z) != Z_OK) return false;
    z.next_in = const_cast<unsigned char*>(map + data);
    z.avail_in = static_cast<uInt>(std::min<uint64_t>(size - 20 - data, UINT32_MAX));
    z.next_out = out;
    z.avail_out = static_cast<uInt>(want);
    int rc = inflate(&z, Z_SYNC_FLUSH);
    bool ok = (rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR) && z.total_out == want;
    NoteRead();
    inflateEnd(&z);
    return ok;
  }
};

namespace {

bool Varint(const unsigned char*& p, const unsigned char* end, uint64_t* out) {
  uint64_t v = 0;
  int shift = 0;
  unsigned char c;
  do {
    if (p >= end || shift > 63) return false;
    c = *p++;
    v |= uint64_t{c & 0x7fu} << shift;
    shift += 7;
  } while (c & 0x80);
  *out = v;
  return true;
}

// Walks a delta's instructions without applying them: null when every copy
// lies inside a base of `base_size` bytes and the output is exactly the
// declared target size (*target), else what is wrong. Checked before the
// target is allocated, so a delta declaring a terabyte costs nothing.
const char* CheckDelta(uint64_t base_size, const unsigned char* d, size_t n, uint64_t* target) {
  const unsigned char* end = d + n;
  uint64_t src, dst;
  if (!Varint(d, end, &src) || !Varint(d, end, &dst)) return "its delta header is truncated";
  if (src != base_size) return "its delta was made for a base of another size";
  uint64_t pos = 0;
  while (d < end) {
    unsigned char cmd = *d++;
    if (cmd & 0x80) {
      uint64_t off = 0, len = 0;
      for (int i = 0; i < 4; ++i)
        if (cmd & (1 << i)) {
          if (d >= end) return "its delta is truncated";
          off |= uint64_t{*d++} << (8 * i);
        }
      for (int i = 0; i < 3; ++i)
        if (cmd & (0x10 << i)) {
          if (d >= end) return "its delta is truncated";
          len |= uint64_t{*d++} << (8 * i);
        }
      if (len == 0) len = 0x10000;
      if (off + len > base_size) return "its delta copies from outside its base";
      pos += len;
    } else if (cmd) {
      if (d + cmd > end) return "its delta is truncated";
      d += cmd;
      pos += cmd;
    } else {
      return "its delta holds a reserved instruction";
    }
    if (pos > dst) return "its delta writes more than its declared size";
  }
  if (pos != dst) return "its delta writes less than its declared size";
  *target = dst;
  return nullptr;
}

// Applies a delta that CheckDelta accepted to `base`.
PackReader::Data ApplyDelta(const PackReader::Buffer& base, const unsigned char* d, size_t n, uint64_t dst) {
  const unsigned char* end = d + n;
  uint64_t ignored;
  Varint(d, end, &ignored);
  Varint(d, end, &ignored);
  auto out = std::make_shared<PackReader::Buffer>();
  out->bytes.reset(new char[dst ? dst : 1]);
  out->size = dst;
  uint64_t pos = 0;
  while (d < end) {
    unsigned char cmd = *d++;
    if (cmd & 0x80) {
      uint64_t off = 0, len = 0;
      for (int i = 0; i < 4; ++i)
        if (cmd & (1 << i)) off |= uint64_t{*d++} << (8 * i);
      for (int i = 0; i < 3; ++i)
        if (cmd & (0x10 << i)) len |= uint64_t{*d++} << (8 * i);
      if (len == 0) len = 0x10000;
      std::memcpy(out->bytes.get() + pos, base.bytes.get() + off, len);
      pos += len;
    } else {
      std::memcpy(out->bytes.get() + pos, d, cmd);
      d += cmd;
      pos += cmd;
    }
  }
  return out;
}

bool IsHexLine(const char* p, const char* end) {
  if (end - p < 41 || p[40] != '\n') return false;
  for (int i = 0; i < 40; ++i)
    if (!std::isxdigit(static_cast<unsigned char>(p[i]))) return false;
  return true;
}

// Null when `data` can be what `type` says (the first line of a commit or a
// tag, every entry of a tree), else what it is not. libgit2 parses commits,
// trees and tags again; this makes a disguised object an error here, named
// as such, whoever reads it next.
const char* ContentMismatch(git_object_t type, const PackReader::Buffer& data) {
  const char* p = data.bytes.get();
  const char* end = p + data.size;
  switch (type) {
    case GIT_OBJECT_COMMIT:
      return end - p >= 5 && std::memcmp(p, "tree ", 5) == 0 && IsHexLine(p + 5, end) ? nullptr : "it is not a commit";
    case GIT_OBJECT_TAG:
      return end - p >= 7 && std::memcmp(p, "object ", 7) == 0 && IsHexLine(p + 7, end) ? nullptr : "it is not a tag";
    case GIT_OBJECT_TREE:
      while (p < end) {  // "<octal mode> <name>\0<20-byte id>", repeated
        const char* q = p;
        while (q < end && *q >= '0' && *q <= '7') ++q;
        if (q == p || q - p > 6 || q >= end || *q != ' ') return "it is not a tree";
        const char* nul = static_cast<const char*>(std::memchr(q + 1, '\0', end - q - 1));
        if (!nul || nul == q + 1 || end - nul - 1 < 20) return "it is not a tree";
        p = nul + 21;
      }
      return nullptr;
    default:
      return nullptr;
  }
}

const char* TypeName(int type) {
  switch (type) {
    case 1:
      return "commit";
    case 2:
      return "tree";
    case 3:
      return "blob";
    case 4:
      return "tag";
    default:
      return "object";
  }
}

uint64_t Key(size_t pack, uint64_t offset) { return (uint64_t{pack} << 48) | offset; }

}  // namespace

PackReader::~PackReader() = default;

void PackReader::FreeInflater::operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }

// One mapping per pack file in the process, whatever the number of readers:
// the blob scanner's threads each have a reader, and every mapping of the
// same pages counted again in the resident memory (819 MB of file pages
// for a 433 MB pack on two threads).
std::shared_ptr<const PackReader::Pack> PackReader::SharedPack(const std::string& idx_path) {
  std::string pack_path = idx_path.substr(0, idx_path.size() - 4) + ".pack";
  int fd = ::open(pack_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    ::close(fd);
    return nullptr;
  }
  // By file identity, not path: a gateway's spool directories come and go.
  std::string key = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" + std::to_string(st.st_size);
  static std::mutex mu;
  static std::unordered_map<std::string, std::weak_ptr<const Pack>> open;
  std::lock_guard<std::mutex> lock(mu);
  if (std::shared_ptr<const Pack> p = open[key].lock()) {
    ::close(fd);
    return p;
  }
  auto pack = std::make_shared<Pack>();
  pack->name = std::filesystem::path(pack_path).filename().string();
  bool ok = pack->Open(idx_path, fd);
  ::close(fd);
  if (!ok) {
    open.erase(key);
    return nullptr;
  }
  for (auto it = open.begin(); it != open.end();) it = it->second.expired() ? open.erase(it) : std::next(it);
  open[key] = pack;
  return pack;
}

std::unique_ptr<PackReader> PackReader::Open(const std::string& objects_dir, size_t cache_bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> idx;
  for (fs::directory_iterator it(fs::path(objects_dir) / "pack", ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".idx") idx.push_back(it->path().string());
  std::sort(idx.begin(), idx.end());
  std::unique_ptr<PackReader> r(new PackReader());
  r->cache_limit_ = cache_bytes;
  r->inflater_.reset(libdeflate_alloc_decompressor());
  if (!r->inflater_) return nullptr;
  for (const std::string& p : idx) {
    if (r->packs_.size() >= 64) break;
    if (std::shared_ptr<const Pack> pack = SharedPack(p)) r->packs_.push_back(std::move(pack));
  }
  if (r->packs_.empty()) return nullptr;
  return r;
}

bool PackReader::Locate(const git_oid& id, size_t* pack, uint64_t* offset) const {
  for (size_t i = 0; i < packs_.size(); ++i)
    if (packs_[i]->index.Find(id, offset)) {
      *pack = i;
      return true;
    }
  return false;
}

bool PackReader::Contains(const git_oid& id) const {
  size_t p;
  uint64_t o;
  return Locate(id, &p, &o);
}

PackReader::Data PackReader::CacheGet(uint64_t key, git_object_t* type) {
  auto it = cache_.find(key);
  if (it == cache_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  *type = it->second->type;
  return it->second->data;
}

void PackReader::CachePut(uint64_t key, git_object_t type, const Data& data) {
  if (data->size > kMaxCachedObject || data->size > cache_limit_ || cache_.count(key)) return;
  lru_.push_front({key, type, data});
  cache_[key] = lru_.begin();
  cache_bytes_ += data->size;
  while (cache_bytes_ > cache_limit_ && !lru_.empty()) {
    cache_bytes_ -= lru_.back().data->size;
    cache_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

PackReader::Result PackReader::Corrupt(size_t pack, uint64_t offset, const std::string& why) {
  error_ = "the object at offset " + std::to_string(offset) + " of " + packs_[pack]->name +
           " cannot be read as what it claims to be: " + why;
  return Result::kCorrupt;
}

PackReader::Result PackReader::DeltaTooLarge(const Link& d) {
  return Corrupt(
      d.pack, d.offset,
      "its delta declares " + std::to_string(d.size) + " bytes, more than the rest of the pack can inflate to");
}

// From (pack_no, offset) down its delta chain, each delta pushed on *chain
// (the top first), to an object in the cache (*cached, *type) or a whole
// object in the pack (*whole, its header; *type).
PackReader::Result PackReader::Descend(size_t pack_no, uint64_t offset, std::vector<Link>* chain, Data* cached,
                                       git_object_t* type, Link* whole) {
  for (int depth = 0;; ++depth) {
    if (depth > kMaxChain)
      return Corrupt(pack_no, offset, "its delta chain is longer than " + std::to_string(kMaxChain));
    if ((*cached = CacheGet(Key(pack_no, offset), type))) return Result::kFound;
    const Pack& pack = *packs_[pack_no];
    int t;
    uint64_t size, data, base_offset = 0;
    git_oid base_id;
    if (!pack.Header(offset, &t, &size, &data, &base_offset, &base_id))
      return Corrupt(pack_no, offset, "its header is malformed");
    if (t != kObjOfsDelta && t != kObjRefDelta) {
      *whole = {offset, data, size, pack_no};
      *type = static_cast<git_object_t>(t);
      return Result::kFound;
    }
    chain->push_back({offset, data, size, pack_no});
    if (t == kObjRefDelta && !Locate(base_id, &pack_no, &base_offset)) return Result::kElsewhere;
    offset = base_offset;
  }
}

PackReader::Result PackReader::ReadAt(size_t pack_no, uint64_t offset, git_object_t* type, Data* out) {
  std::vector<Link> chain;
  Data base;
  git_object_t base_type = GIT_OBJECT_INVALID;
  Link w;
  Result r = Descend(pack_no, offset, &chain, &base, &base_type, &w);
  if (r != Result::kFound) return r;
  if (!base) {
    const Pack& pack = *packs_[w.pack];
    std::shared_ptr<Buffer> b;
    bool possible = pack.CanHold(w.data, w.size);
    if (possible) {
      b = std::make_shared<Buffer>();
      b->bytes.reset(new char[w.size ? w.size : 1]);
      b->size = w.size;
    }
    if (!possible || !pack.Inflate(w.data, w.size, reinterpret_cast<unsigned char*>(b->bytes.get()), inflater_.get())) {
      uint64_t actual = 0;
      bool ended = pack.InflatedSize(w.data, &actual);
      return Corrupt(w.pack, w.offset,
                     std::string("it declares a ") + TypeName(base_type) + " of " + std::to_string(w.size) +
                         " bytes but " +
                         (ended ? "holds " + std::to_string(actual) : "its data is not a complete zlib stream"));
    }
    base = std::move(b);
    CachePut(Key(w.pack, w.offset), base_type, base);
  }
  std::unique_ptr<unsigned char[]> delta;
  size_t delta_cap = 0;
  while (!chain.empty()) {
    const Link d = chain.back();
    chain.pop_back();
    if (!packs_[d.pack]->CanHold(d.data, d.size)) return DeltaTooLarge(d);
    if (d.size > delta_cap) {
      delta.reset(new unsigned char[d.size]);
      delta_cap = d.size;
    }
    if (!packs_[d.pack]->Inflate(d.data, d.size, delta.get(), inflater_.get()))
      return Corrupt(d.pack, d.offset,
                     "its delta does not inflate to its declared " + std::to_string(d.size) + " bytes");
    uint64_t target = 0;
    if (const char* why = CheckDelta(base->size, delta.get(), d.size, &target)) return Corrupt(d.pack, d.offset, why);
    base = ApplyDelta(*base, delta.get(), d.size, target);
    CachePut(Key(d.pack, d.offset), base_type, base);
  }
  *type = base_type;
  *out = std::move(base);
  return Result::kFound;
}

PackReader::Result PackReader::HeaderAt(size_t pack_no, uint64_t offset, git_object_t* type, size_t* size) {
  Data cached;
  if ((cached = CacheGet(Key(pack_no, offset), type))) {
    *size = cached->size;
    return Result::kFound;
  }
  bool have_size = false;
  for (int depth = 0; depth <= kMaxChain; ++depth) {
    const Pack& pack = *packs_[pack_no];
    int t;
    uint64_t sz, data, base_offset = 0;
    git_oid base_id;
    if (!pack.Header(offset, &t, &sz, &data, &base_offset, &base_id))
      return Corrupt(pack_no, offset, "its header is malformed");
    if (t != kObjOfsDelta && t != kObjRefDelta) {
      *type = static_cast<git_object_t>(t);
      if (!have_size) *size = sz;
      return Result::kFound;
    }
    if (!have_size) {
      // The target size is the delta's second varint.
      unsigned char head[32];
      uint64_t want = std::min<uint64_t>(sz, sizeof head);
      const unsigned char* p = head;
      uint64_t src, dst;
      if (!pack.InflatePrefix(data, want, head) || !Varint(p, head + want, &src) || !Varint(p, head + want, &dst))
        return Corrupt(pack_no, offset, "its delta header is malformed");
      *size = dst;
      have_size = true;
    }
    if (t == kObjRefDelta && !Locate(base_id, &pack_no, &base_offset)) return Result::kElsewhere;
    offset = base_offset;
  }
  return Corrupt(pack_no, offset, "its delta chain is longer than " + std::to_string(kMaxChain));
}

// Like ReadAt without keeping the object: the base is inflated in pieces and
// counted, each delta is inflated and walked (CheckDelta) on the way up.
PackReader::Result PackReader::CheckedSizeAt(size_t pack_no, uint64_t offset, git_object_t* type, uint64_t* size) {
  std::vector<Link> chain;
  Data cached;
  Link w;
  Result r = Descend(pack_no, offset, &chain, &cached, type, &w);
  if (r != Result::kFound) return r;
  if (cached) {
    *size = cached->size;
  } else {
    uint64_t actual = 0;
    if (!packs_[w.pack]->InflatedSize(w.data, &actual))
      return Corrupt(w.pack, w.offset, "its data is not a complete zlib stream");
    if (actual != w.size)
      return Corrupt(w.pack, w.offset,
                     std::string("it declares a ") + TypeName(*type) + " of " + std::to_string(w.size) +
                         " bytes but holds " + std::to_string(actual));
    *size = w.size;
  }
  std::unique_ptr<unsigned char[]> delta;
  while (!chain.empty()) {
    const Link d = chain.back();
    chain.pop_back();
    if (!packs_[d.pack]->CanHold(d.data, d.size)) return DeltaTooLarge(d);
    delta.reset(new unsigned char[d.size ? d.size : 1]);
    if (!packs_[d.pack]->Inflate(d.data, d.size, delta.get(), inflater_.get()))
      return Corrupt(d.pack, d.offset,
                     "its delta does not inflate to its declared " + std::to_string(d.size) + " bytes");
    if (const char* why = CheckDelta(*size, delta.get(), d.size, size)) return Corrupt(d.pack, d.offset, why);
  }
  return Result::kFound;
}

PackReader::Result PackReader::Read(const git_oid& id, git_object_t* type, Data* data) {
  size_t pack;
  uint64_t offset;
  if (!Locate(id, &pack, &offset)) return Result::kNotFound;
  Result r = ReadAt(pack, offset, type, data);
  if (r != Result::kFound) return r;
  if (const char* why = ContentMismatch(*type, **data))
    return Corrupt(pack, offset, std::string("it claims to be a ") + TypeName(*type) + " but " + why);
  return r;
}

PackReader::Result PackReader::ReadHeader(const git_oid& id, git_object_t* type, size_t* size) {
  size_t pack;
  uint64_t offset;
  if (!Locate(id, &pack, &offset)) return Result::kNotFound;
  return HeaderAt(pack, offset, type, size);
}

PackReader::Result PackReader::ReadCheckedHeader(const git_oid& id, git_object_t* type, size_t* size) {
  size_t pack;
  uint64_t offset, checked = 0;
  if (!Locate(id, &pack, &offset)) return Result::kNotFound;
  Result r = CheckedSizeAt(pack, offset, type, &checked);
  *size = checked;
  return r;
}

// --- the libgit2 backend --------------------------------------------------------

namespace {

struct Backend {
  git_odb_backend parent;  // first: libgit2 sees a git_odb_backend*
  std::unique_ptr<PackReader> reader;
};

PackReader& ReaderOf(git_odb_backend* b) { return *reinterpret_cast<Backend*>(b)->reader; }

// What libgit2 hears from a read. A corrupt object is an error with the
// reader's reason, never a pass to libgit2's own reader (which would read a
// short object padded, or trust a header). No exception may cross libgit2's
// C frames: it holds the object database's lock around this call, and an
// exception unwinding through it left that lock taken, so the odb's free
// during unwinding waited forever (the hook hung after std::bad_alloc).
int ToLibgit2(PackReader& reader, PackReader::Result r) {
  switch (r) {
    case PackReader::Result::kFound:
      return 0;
    case PackReader::Result::kNotFound:
      return GIT_ENOTFOUND;
    case PackReader::Result::kElsewhere:
      return GIT_PASSTHROUGH;
    case PackReader::Result::kCorrupt:
      break;
  }
  git_error_set_str(GIT_ERROR_ODB, reader.error().c_str());
  return GIT_ERROR;
}

int OutOfMemory() {
  git_error_set_oom();
  return GIT_ERROR;
}

int BackendRead(void** out, size_t* len, git_object_t* type, git_odb_backend* b, const git_oid* id) try {
  PackReader::Data data;
  PackReader::Result r = ReaderOf(b).Read(*id, type, &data);
  if (r != PackReader::Result::kFound) return ToLibgit2(ReaderOf(b), r);
  void* buf = git_odb_backend_data_alloc(b, data->size + 1);
  if (!buf) return -1;
  std::memcpy(buf, data->bytes.get(), data->size);
  static_cast<char*>(buf)[data->size] = '\0';
  *out = buf;
  *len = data->size;
  return 0;
} catch (const std::bad_alloc&) {
  return OutOfMemory();
}

int BackendReadHeader(size_t* len, git_object_t* type, git_odb_backend* b, const git_oid* id) try {
  return ToLibgit2(ReaderOf(b), ReaderOf(b).ReadHeader(*id, type, len));
} catch (const std::bad_alloc&) {
  return OutOfMemory();
}

int BackendExists(git_odb_backend* b, const git_oid* id) { return ReaderOf(b).Contains(*id) ? 1 : 0; }

// libgit2 calls foreach without checking for null. The objects here are also
// listed by libgit2's own pack backend, so listing none avoids duplicates.
int BackendForeach(git_odb_backend*, git_odb_foreach_cb, void*) { return 0; }

void BackendFree(git_odb_backend* b) { delete reinterpret_cast<Backend*>(b); }

}  // namespace

Status AddPackReaderBackend(git_odb* odb, const std::string& objects_dir, size_t cache_bytes) {
  std::unique_ptr<PackReader> reader = PackReader::Open(objects_dir, cache_bytes);
  if (!reader) return Status::Ok();
  auto* b = new Backend();
  if (git_odb_init_backend(&b->parent, GIT_ODB_BACKEND_VERSION) < 0) {
    delete b;
    return Status::Internal("cannot set up the pack reader");
  }
  b->reader = std::move(reader);
  b->parent.read = &BackendRead;
  b->parent.read_header = &BackendReadHeader;
  b->parent.exists = &BackendExists;
  b->parent.foreach = &BackendForeach;
  b->parent.free = &BackendFree;
  // Ahead of libgit2's own backends (priority 1 and 2).
  if (git_odb_add_backend(odb, &b->parent, 100) < 0) {
    delete b;
    return Status::Internal("cannot add the pack reader to the object database");
  }
  return Status::Ok();
}

PackReader::Result ReadFromPackReaders(git_odb* odb, const git_oid& id, git_object_t* type, PackReader::Data* data,
                                       std::string* error) {
  PackReader::Result result = PackReader::Result::kNotFound;
  for (size_t i = 0, n = git_odb_num_backends(odb); i < n; ++i) {
    git_odb_backend* b = nullptr;
    if (git_odb_get_backend(&b, odb, i) < 0 || b->read != &BackendRead) continue;
    PackReader& reader = ReaderOf(b);
    result = reader.Read(id, type, data);
    if (result == PackReader::Result::kCorrupt) *error = reader.error();
    if (result != PackReader::Result::kNotFound) return result;
  }
  return result;
}

Status CheckedObjectSize(git_odb* odb, const git_oid& id, size_t* size) {
  for (size_t i = 0, n = git_odb_num_backends(odb); i < n; ++i) {
    git_odb_backend* b = nullptr;
    if (git_odb_get_backend(&b, odb, i) < 0 || b->read != &BackendRead) continue;
    git_object_t type;
    PackReader& reader = ReaderOf(b);
    switch (reader.ReadCheckedHeader(id, &type, size)) {
      case PackReader::Result::kFound:
        return Status::Ok();
      case PackReader::Result::kCorrupt:
        return Status::Corrupt(reader.error());
      default:
        break;
    }
  }
  git_object_t type;
  if (git_odb_read_header(size, &type, odb, &id) < 0) return GitStatus("cannot read object " + OidHex(id));
  return Status::Ok();
}

}  // namespace akgate
