// Writing a pack and its version-2 index for the pack fuzz targets: the
// pack reader (git/pack_reader.h) reads <objects>/pack/*.idx and the .pack
// beside it, so a target lays its input out as those files.
#pragma once

#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"

namespace akgate_fuzz {

// A directory of this process's own (several fuzzers may run at once), on
// tmpfs when there is one: the targets write files for every input.
inline std::string ScratchObjectsDir(const char* name) {
  namespace fs = std::filesystem;
  fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
  fs::path dir = base / ("akgate-fuzz-" + std::string(name) + "-" + std::to_string(getpid())) / "objects";
  fs::create_directories(dir / "pack");
  return dir.string();
}

inline void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  FUZZ_CHECK(out.good());
}

inline void Be32(std::string* out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out->push_back(static_cast<char>((v >> s) & 0xff));
}

// The id this harness gives the n-th object of a pack: 16 zero bytes and n
// big-endian, so ids sort by n and a REF_DELTA in the input can name any
// object of the pack.
inline std::string SyntheticId(uint32_t n) {
  std::string id(16, '\0');
  Be32(&id, n);
  return id;
}

// A version-2 .idx: `ids` (20 bytes each, sorted) at `offsets` (< 2^31).
inline std::string PackIndexFile(const std::vector<std::string>& ids, const std::vector<uint64_t>& offsets) {
  std::string idx("\377tOc", 4);
  Be32(&idx, 2);
  uint32_t fan[256] = {};
  for (const std::string& id : ids) ++fan[static_cast<unsigned char>(id[0])];
  for (int i = 1; i < 256; ++i) fan[i] += fan[i - 1];
  for (uint32_t f : fan) Be32(&idx, f);
  for (const std::string& id : ids) idx += id;
  for (size_t i = 0; i < ids.size(); ++i) Be32(&idx, 0);  // CRC32s: not read
  for (uint64_t o : offsets) Be32(&idx, static_cast<uint32_t>(o));
  idx.append(40, '\0');  // pack and index checksums: not read
  return idx;
}

// Where the zlib stream at `at` ends, or 0 when it is broken (inflated
// output beyond `max_out` bytes counts as broken: a harness bound).
inline size_t ZlibStreamEnd(std::string_view bytes, size_t at, size_t max_out) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return 0;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data() + at));
  z.avail_in = static_cast<uInt>(bytes.size() - at);
  unsigned char buf[1 << 14];
  int rc = Z_OK;
  while (rc == Z_OK && z.total_out <= max_out) {
    z.next_out = buf;
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
  }
  size_t end = rc == Z_STREAM_END ? at + z.total_in : 0;
  inflateEnd(&z);
  return end;
}

inline std::string Deflate(std::string_view plain) {
  uLongf n = compressBound(plain.size());
  std::string out(n, '\0');
  FUZZ_CHECK(compress(reinterpret_cast<Bytef*>(out.data()), &n, reinterpret_cast<const Bytef*>(plain.data()),
                      plain.size()) == Z_OK);
  out.resize(n);
  return out;
}

// A pack object header: type (1-4, 6 ofs-delta, 7 ref-delta) and size.
inline std::string ObjectHeader(int type, uint64_t size) {
  std::string h;
  unsigned char c = static_cast<unsigned char>((type << 4) | (size & 15));
  size >>= 4;
  while (size) {
    h.push_back(static_cast<char>(c | 0x80));
    c = size & 0x7f;
    size >>= 7;
  }
  h.push_back(static_cast<char>(c));
  return h;
}

// An OFS_DELTA's distance to its base, in git's encoding.
inline std::string OfsDeltaDistance(uint64_t rel) {
  unsigned char buf[16];
  int pos = sizeof buf - 1;
  buf[pos] = rel & 127;
  while (rel >>= 7) buf[--pos] = static_cast<unsigned char>(128 | (--rel & 127));
  return std::string(reinterpret_cast<char*>(buf + pos), sizeof buf - pos);
}

}  // namespace akgate_fuzz
