#include "engine/compile_cache.h"

#include <fcntl.h>
#include <hs/hs.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "engine/sha256.h"

namespace akgate {

namespace {

constexpr char kMagic[] = "akgate-compile-cache-v2\n";

class Hasher {
 public:
  // Length-prefixed, so ("ab","c") and ("a","bc") differ.
  void Add(std::string_view s) {
    uint64_t n = s.size();
    sha_.Update(std::string_view(reinterpret_cast<const char*>(&n), sizeof n));
    sha_.Update(s);
  }
  void Add(const std::vector<std::string>& v) {
    Add(std::to_string(v.size()));
    for (const std::string& s : v) Add(s);
  }
  std::string Hex() { return sha_.FinalHex(); }

 private:
  Sha256 sha_;
};

void PutU32(std::string* out, uint32_t v) { out->append(reinterpret_cast<const char*>(&v), sizeof v); }
void PutString(std::string* out, std::string_view s) {
  PutU32(out, static_cast<uint32_t>(s.size()));
  out->append(s);
}

class Reader {
 public:
  explicit Reader(std::string_view d) : d_(d) {}
  bool U32(uint32_t* v) {
    if (d_.size() < sizeof *v) return false;
    std::memcpy(v, d_.data(), sizeof *v);
    d_.remove_prefix(sizeof *v);
    return true;
  }
  bool View(std::string_view* s) {
    uint32_t n;
    if (!U32(&n) || d_.size() < n) return false;
    *s = d_.substr(0, n);
    d_.remove_prefix(n);
    return true;
  }
  bool String(std::string* s) {
    std::string_view v;
    if (!View(&v)) return false;
    s->assign(v);
    return true;
  }
  bool done() const { return d_.empty(); }

 private:
  std::string_view d_;
};

std::string PathFor(const std::string& dir, const std::string& key) { return dir + "/rules-" + key + ".cache"; }

}  // namespace

std::string CompileCacheKey(const RuleSet& set) {
  Hasher h;
  h.Add(kMagic);
  h.Add(AKGATE_VERSION);
  h.Add(hs_version());
  for (const Rule& r : set.rules) {
    h.Add(r.id);
    h.Add(r.regex);
    h.Add(std::to_string(r.secret_group));
    h.Add(r.keywords);
    h.Add(r.path);
    for (const Allowlist& a : r.allowlists) {
      h.Add(a.regexes);
      h.Add(a.paths);
    }
  }
  for (const PairRule& p : set.pairs)
    for (const PairPart& part : p.parts) h.Add(part.near_regex);
  h.Add(set.allowlist.regexes);
  h.Add(set.allowlist.paths);
  h.Add(set.base64_triggers);
  return h.Hex();
}

bool LoadCompileCache(const std::string& dir, const std::string& key, size_t rule_count, CompileCache* out) {
  // Mapped, not read: the cache is mostly a serialized Hyperscan database
  // (hundreds of KB), and every fresh copy of it is page faults in the
  // start-up of a small push's hook.
  int fd = ::open(PathFor(dir, key).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  void* map = MAP_FAILED;
  if (fstat(fd, &st) == 0 && st.st_size > 0 && st.st_size <= (off_t{64} << 20))
    map = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return false;
  const size_t size = static_cast<size_t>(st.st_size);
  std::shared_ptr<const void> storage(map, [size](const void* m) { munmap(const_cast<void*>(m), size); });
  std::string_view data(static_cast<const char*>(map), size);
  Reader r(data);
  std::string magic, stored_key;
  uint32_t n = 0;
  if (!r.String(&magic) || magic != kMagic || !r.String(&stored_key) || stored_key != key || !r.U32(&n) ||
      n != rule_count)
    return false;
  CompileCache c;
  c.rules.resize(n);
  for (CompileCache::RuleEntry& e : c.rules) {
    uint32_t group = 0, atoms = 0;
    if (!r.U32(&group) || group > 99 || !r.U32(&atoms) || atoms > 4096) return false;
    e.group = static_cast<int>(group);
    e.atoms.resize(atoms);
    for (std::string& a : e.atoms)
      if (!r.String(&a) || a.empty()) return false;
  }
  if (!r.View(&c.literal_database) || !r.done()) return false;
  c.storage = std::move(storage);
  *out = std::move(c);
  return true;
}

void StoreCompileCache(const std::string& dir, const std::string& key, const CompileCache& cache) {
  std::string data;
  PutString(&data, kMagic);
  PutString(&data, key);
  PutU32(&data, static_cast<uint32_t>(cache.rules.size()));
  for (const CompileCache::RuleEntry& e : cache.rules) {
    PutU32(&data, static_cast<uint32_t>(e.group));
    PutU32(&data, static_cast<uint32_t>(e.atoms.size()));
    for (const std::string& a : e.atoms) PutString(&data, a);
  }
  PutString(&data, cache.literal_database);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  // Write beside, then rename: readers never see half a file.
  std::string tmp = PathFor(dir, key) + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return;
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) {
      std::filesystem::remove(tmp, ec);
      return;
    }
  }
  std::filesystem::rename(tmp, PathFor(dir, key), ec);
  if (ec) std::filesystem::remove(tmp, ec);
}

std::string DefaultCompileCacheDir() {
  if (const char* d = std::getenv("AKGATE_CACHE_DIR")) {
    if (std::strcmp(d, "off") == 0) return "";
    if (*d) return d;
  }
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/akgate";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/akgate";
  return "";
}

}  // namespace akgate
