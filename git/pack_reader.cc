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
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <system_error>

#include "git/pack_index.h"

namespace akgate {

namespace {

constexpr size_t kMaxCachedObject = size_t{4} << 20;
constexpr int kMaxChain = 10000;
constexpr int kObjOfsDelta = 6, kObjRefDelta = 7;
constexpr uint64_t kFileResidentBudget = uint64_t{256} << 20;
constexpr uint64_t kCheckEvery = 4096;

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
  unsigned long long size = 0, resident = 0, shared = 0;
  if (std::sscanf(buf, "%llu %llu %llu", &size, &resident, &shared) != 3) return 0;
  return shared * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace

struct PackReader::Pack {
  PackIndex index;
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
      if (m == MAP_FAILED) ok = false;
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

  // Inflates exactly `want` bytes: the whole object with libdeflate (about
  // twice zlib's speed on a pack's small streams; inflating is most of a
  // large push's CPU), which reads from the mapping and reports nothing
  // past the stream's end.
  bool Inflate(uint64_t data, uint64_t want, unsigned char* out, libdeflate_decompressor* d) const {
    size_t in_used = 0;
    libdeflate_result rc =
        libdeflate_zlib_decompress_ex(d, map + data, size - 20 - data, out, want, &in_used, nullptr);
    NoteRead();
    return rc == LIBDEFLATE_SUCCESS;
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

// Applies `delta` to `base`; null when the delta does not fit the base.
PackReader::Data ApplyDelta(const PackReader::Buffer& base, const unsigned char* d, size_t n) {
  const unsigned char* end = d + n;
  uint64_t src, dst;
  if (!Varint(d, end, &src) || !Varint(d, end, &dst) || src != base.size || dst > (uint64_t{1} << 40)) return nullptr;
  auto out = std::make_shared<PackReader::Buffer>();
  out->bytes.reset(new char[dst ? dst : 1]);
  out->size = dst;
  uint64_t pos = 0;
  while (d < end) {
    unsigned char cmd = *d++;
    if (cmd & 0x80) {
      uint64_t off = 0, len = 0;
      for (int i = 0; i < 4; ++i)
        if (cmd & (1 << i)) {
          if (d >= end) return nullptr;
          off |= uint64_t{*d++} << (8 * i);
        }
      for (int i = 0; i < 3; ++i)
        if (cmd & (0x10 << i)) {
          if (d >= end) return nullptr;
          len |= uint64_t{*d++} << (8 * i);
        }
      if (len == 0) len = 0x10000;
      if (off + len > base.size || pos + len > dst) return nullptr;
      std::memcpy(out->bytes.get() + pos, base.bytes.get() + off, len);
      pos += len;
    } else if (cmd) {
      if (d + cmd > end || pos + cmd > dst) return nullptr;
      std::memcpy(out->bytes.get() + pos, d, cmd);
      d += cmd;
      pos += cmd;
    } else {
      return nullptr;  // reserved instruction
    }
  }
  return pos == dst ? out : nullptr;
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

PackReader::Result PackReader::ReadAt(size_t pack_no, uint64_t offset, git_object_t* type, Data* out) {
  struct Delta {
    uint64_t offset, data, size;
    size_t pack;
  };
  std::vector<Delta> chain;
  Data base;
  git_object_t base_type = GIT_OBJECT_INVALID;
  for (int depth = 0;; ++depth) {
    if (depth > kMaxChain) return Result::kUnreadable;
    if ((base = CacheGet(Key(pack_no, offset), &base_type))) break;
    const Pack& pack = *packs_[pack_no];
    int t;
    uint64_t size, data, base_offset = 0;
    git_oid base_id;
    if (!pack.Header(offset, &t, &size, &data, &base_offset, &base_id)) return Result::kUnreadable;
    if (t == kObjOfsDelta || t == kObjRefDelta) {
      chain.push_back({offset, data, size, pack_no});
      if (t == kObjRefDelta && !Locate(base_id, &pack_no, &base_offset)) return Result::kUnreadable;
      offset = base_offset;
      continue;
    }
    auto b = std::make_shared<Buffer>();
    b->bytes.reset(new char[size ? size : 1]);
    b->size = size;
    if (!pack.Inflate(data, size, reinterpret_cast<unsigned char*>(b->bytes.get()), inflater_.get()))
      return Result::kUnreadable;
    base = std::move(b);
    base_type = static_cast<git_object_t>(t);
    CachePut(Key(pack_no, offset), base_type, base);
    break;
  }
  std::unique_ptr<unsigned char[]> delta;
  size_t delta_cap = 0;
  while (!chain.empty()) {
    const Delta d = chain.back();
    chain.pop_back();
    if (d.size > delta_cap) {
      delta.reset(new unsigned char[d.size]);
      delta_cap = d.size;
    }
    if (!packs_[d.pack]->Inflate(d.data, d.size, delta.get(), inflater_.get())) return Result::kUnreadable;
    Data next = ApplyDelta(*base, delta.get(), d.size);
    if (!next) return Result::kUnreadable;
    base = std::move(next);
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
    if (!pack.Header(offset, &t, &sz, &data, &base_offset, &base_id)) return Result::kUnreadable;
    if (t != kObjOfsDelta && t != kObjRefDelta) {
      *type = static_cast<git_object_t>(t);
      if (!have_size) *size = sz;
      return Result::kFound;
    }
    if (!have_size) {
      // The target size is the delta's second varint.
      unsigned char head[32];
      uint64_t want = std::min<uint64_t>(sz, sizeof head);
      if (!pack.InflatePrefix(data, want, head)) return Result::kUnreadable;
      const unsigned char* p = head;
      uint64_t src, dst;
      if (!Varint(p, head + want, &src) || !Varint(p, head + want, &dst)) return Result::kUnreadable;
      *size = dst;
      have_size = true;
    }
    if (t == kObjRefDelta && !Locate(base_id, &pack_no, &base_offset)) return Result::kUnreadable;
    offset = base_offset;
  }
  return Result::kUnreadable;
}

PackReader::Result PackReader::Read(const git_oid& id, git_object_t* type, Data* data) {
  size_t pack;
  uint64_t offset;
  if (!Locate(id, &pack, &offset)) return Result::kNotFound;
  return ReadAt(pack, offset, type, data);
}

PackReader::Result PackReader::ReadHeader(const git_oid& id, git_object_t* type, size_t* size) {
  size_t pack;
  uint64_t offset;
  if (!Locate(id, &pack, &offset)) return Result::kNotFound;
  return HeaderAt(pack, offset, type, size);
}

// --- the libgit2 backend --------------------------------------------------------

namespace {

struct Backend {
  git_odb_backend parent;  // first: libgit2 sees a git_odb_backend*
  std::unique_ptr<PackReader> reader;
};

PackReader& ReaderOf(git_odb_backend* b) { return *reinterpret_cast<Backend*>(b)->reader; }

int BackendRead(void** out, size_t* len, git_object_t* type, git_odb_backend* b, const git_oid* id) {
  PackReader::Data data;
  PackReader::Result r = ReaderOf(b).Read(*id, type, &data);
  if (r == PackReader::Result::kNotFound) return GIT_ENOTFOUND;
  if (r != PackReader::Result::kFound) return GIT_PASSTHROUGH;  // libgit2's own reader decides
  void* buf = git_odb_backend_data_alloc(b, data->size + 1);
  if (!buf) return -1;
  std::memcpy(buf, data->bytes.get(), data->size);
  static_cast<char*>(buf)[data->size] = '\0';
  *out = buf;
  *len = data->size;
  return 0;
}

int BackendReadHeader(size_t* len, git_object_t* type, git_odb_backend* b, const git_oid* id) {
  switch (ReaderOf(b).ReadHeader(*id, type, len)) {
    case PackReader::Result::kFound: return 0;
    case PackReader::Result::kNotFound: return GIT_ENOTFOUND;
    default: return GIT_PASSTHROUGH;
  }
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
    return Status::Error("cannot set up the pack reader");
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
    return Status::Error("cannot add the pack reader to the object database");
  }
  return Status::Ok();
}

}  // namespace akgate
