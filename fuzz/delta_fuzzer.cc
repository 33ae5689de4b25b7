// The delta applier (CheckDelta and ApplyDelta in git/pack_reader.cc),
// reached the way a push reaches it: a pack of a blob and an OFS_DELTA
// against it, read with the pack reader.
//
// Input: two bytes (little-endian) giving the base's length, the base, then
// the delta (source size, target size, copy and insert instructions, as in
// gitformat-pack). The harness compresses both into a pack with an index.
//
// Checks, against a plain reference implementation of the format in this
// file: the reader applies exactly the deltas the reference applies, to the
// same bytes, and refuses the others (never reads outside the base or
// writes past the target: ASan); the header and checked-size reads agree.
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "git/pack_reader.h"
#include "pack_files.h"

using akgate::PackReader;

namespace {

bool Varint(std::string_view* d, uint64_t* out) {
  uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    if (d->empty() || shift > 63) return false;
    unsigned char c = d->front();
    d->remove_prefix(1);
    v |= uint64_t{c & 0x7fu} << shift;
    if (!(c & 0x80)) break;
  }
  *out = v;
  return true;
}

// gitformat-pack's delta, applied; false when the delta is not one for
// `base` (its source size, a copy outside it, a target of another size, a
// reserved or truncated instruction).
bool ReferenceApply(std::string_view base, std::string_view d, std::string* out) {
  uint64_t src, dst;
  if (!Varint(&d, &src) || !Varint(&d, &dst) || src != base.size()) return false;
  out->clear();
  while (!d.empty()) {
    unsigned char cmd = d.front();
    d.remove_prefix(1);
    if (cmd == 0) return false;
    if (cmd & 0x80) {
      uint64_t off = 0, len = 0;
      for (int i = 0; i < 7; ++i) {
        if (!(cmd & (1 << i))) continue;
        if (d.empty()) return false;
        uint64_t byte = static_cast<unsigned char>(d.front());
        d.remove_prefix(1);
        if (i < 4)
          off |= byte << (8 * i);
        else
          len |= byte << (8 * (i - 4));
      }
      if (len == 0) len = 0x10000;
      if (off > base.size() || len > base.size() - off) return false;
      if (len > dst - out->size()) return false;  // out->size() <= dst throughout
      out->append(base.substr(off, len));
    } else {
      if (d.size() < cmd || cmd > dst - out->size()) return false;
      out->append(d.substr(0, cmd));
      d.remove_prefix(cmd);
    }
  }
  return out->size() == dst;
}

git_oid Oid(uint32_t n) {
  git_oid oid;
  std::string id = akgate_fuzz::SyntheticId(n);
  std::copy(id.begin(), id.end(), oid.id);
  return oid;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string objects = akgate_fuzz::ScratchObjectsDir("delta");
  if (size < 2) return 0;
  size_t base_len = std::min<size_t>(data[0] | (size_t{data[1]} << 8), size - 2);
  std::string_view base = akgate_fuzz::AsText(data + 2, base_len);
  std::string_view delta = akgate_fuzz::AsText(data + 2 + base_len, size - 2 - base_len);

  std::string pack("PACK", 4);
  akgate_fuzz::Be32(&pack, 2);
  akgate_fuzz::Be32(&pack, 2);
  uint64_t base_at = pack.size();
  pack += akgate_fuzz::ObjectHeader(3, base.size()) + akgate_fuzz::Deflate(base);
  uint64_t delta_at = pack.size();
  pack += akgate_fuzz::ObjectHeader(6, delta.size()) + akgate_fuzz::OfsDeltaDistance(delta_at - base_at) +
          akgate_fuzz::Deflate(delta);
  pack.append(20, '\0');  // the trailer: not read
  akgate_fuzz::WriteFile(objects + "/pack/pack-fuzz.pack", pack);
  akgate_fuzz::WriteFile(
      objects + "/pack/pack-fuzz.idx",
      akgate_fuzz::PackIndexFile({akgate_fuzz::SyntheticId(0), akgate_fuzz::SyntheticId(1)}, {base_at, delta_at}));

  std::string expected;
  bool applies = ReferenceApply(base, delta, &expected);

  std::unique_ptr<PackReader> reader = PackReader::Open(objects, size_t{8} << 20);
  FUZZ_CHECK(reader);
  using R = PackReader::Result;
  git_object_t type;
  PackReader::Data got;
  R r = reader->Read(Oid(1), &type, &got);
  if (r != R::kFound && applies)
    std::fprintf(stderr, "reference applies the delta; the reader: %s\n", reader->error().c_str());
  FUZZ_CHECK((r == R::kFound) == applies);
  if (applies) {
    FUZZ_CHECK(type == GIT_OBJECT_BLOB);
    FUZZ_CHECK(std::string_view(got->bytes.get(), got->size) == expected);
  } else {
    FUZZ_CHECK(r == R::kCorrupt && reader->error().find("delta") != std::string::npos);
  }

  // A second reader, without the first one's cache: the sizes agree.
  std::unique_ptr<PackReader> sizes = PackReader::Open(objects, size_t{8} << 20);
  size_t checked = 0, declared = 0;
  R rc = sizes->ReadCheckedHeader(Oid(1), &type, &checked);
  FUZZ_CHECK((rc == R::kFound) == applies);
  if (applies) FUZZ_CHECK(checked == expected.size());
  R rh = sizes->ReadHeader(Oid(1), &type, &declared);
  if (applies) FUZZ_CHECK(rh == R::kFound && declared == expected.size());
  return 0;
}
