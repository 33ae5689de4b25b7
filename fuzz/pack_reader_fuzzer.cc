// The pack reader (git/pack_reader.h) on arbitrary bytes as a pack file.
//
// The input is the .pack itself. The harness indexes it as an indexer would
// (objects one after the other from byte 12, each ending where its zlib
// stream ends; the first one that does not parse ends the list), naming the
// n-th object with a synthetic id (pack_files.h) so that a REF_DELTA can
// name any of them. Every object is then read three ways, by two readers
// with separate caches: Read (the object), ReadCheckedHeader (its size,
// counted), ReadHeader (its declared type and size).
//
// Checks: the three agree: an object Read returns has the type and size the
// two header reads give; what ReadCheckedHeader finds Read finds too, unless
// the content is not what its type says; a corrupt object says why and
// where; nothing is read outside the pack (ASan).
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "git/pack_reader.h"
#include "pack_files.h"

using akgate::PackReader;

namespace {

constexpr size_t kMaxObjects = 64;

// The objects' offsets: a header, then a zlib stream, from byte 12 on.
std::vector<uint64_t> ObjectOffsets(std::string_view pack) {
  std::vector<uint64_t> out;
  if (pack.size() < 32) return out;
  const size_t end = pack.size() - 20;
  size_t p = 12;
  while (p < end && out.size() < kMaxObjects) {
    out.push_back(p);
    size_t q = p;
    unsigned char c = pack[q++];
    int type = (c >> 4) & 7;
    while (c & 0x80) {
      if (q >= end) return out;
      c = pack[q++];
    }
    if (type == 6) {
      do {
        if (q >= end) return out;
        c = pack[q++];
      } while (c & 0x80);
    } else if (type == 7) {
      q += 20;
    }
    if (q >= end) return out;
    size_t next = akgate_fuzz::ZlibStreamEnd(pack.substr(0, end), q, 1 << 20);
    if (next == 0) return out;
    p = next;
  }
  return out;
}

git_oid Oid(const std::string& id) {
  git_oid oid;
  std::copy(id.begin(), id.end(), oid.id);
  return oid;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string objects = akgate_fuzz::ScratchObjectsDir("pack_reader");
  std::string_view pack = akgate_fuzz::AsText(data, size);
  std::vector<uint64_t> offsets = ObjectOffsets(pack);
  if (offsets.empty()) offsets.push_back(12);
  std::vector<std::string> ids;
  for (size_t i = 0; i < offsets.size(); ++i) ids.push_back(akgate_fuzz::SyntheticId(static_cast<uint32_t>(i)));
  akgate_fuzz::WriteFile(objects + "/pack/pack-fuzz.pack", pack);
  akgate_fuzz::WriteFile(objects + "/pack/pack-fuzz.idx", akgate_fuzz::PackIndexFile(ids, offsets));

  std::unique_ptr<PackReader> a = PackReader::Open(objects, size_t{8} << 20);
  std::unique_ptr<PackReader> b = PackReader::Open(objects, size_t{8} << 20);
  if (!a) {  // not a pack: too short or no "PACK"
    FUZZ_CHECK(!b && (size < 32 || pack.substr(0, 4) != "PACK"));
    return 0;
  }
  FUZZ_CHECK(b);
  using R = PackReader::Result;
  for (const std::string& id : ids) {
    git_oid oid = Oid(id);
    FUZZ_CHECK(a->Contains(oid));
    git_object_t ta = GIT_OBJECT_INVALID, tc = GIT_OBJECT_INVALID, th = GIT_OBJECT_INVALID;
    PackReader::Data d;
    size_t sc = 0, sh = 0;
    R ra = a->Read(oid, &ta, &d);
    R rc = b->ReadCheckedHeader(oid, &tc, &sc);
    R rh = b->ReadHeader(oid, &th, &sh);
    FUZZ_CHECK(ra != R::kNotFound && rc != R::kNotFound && rh != R::kNotFound);
    if (ra == R::kCorrupt) FUZZ_CHECK(a->error().find("offset") != std::string::npos);
    if (rc == R::kCorrupt) FUZZ_CHECK(b->error().find("offset") != std::string::npos);
    FUZZ_CHECK((ra == R::kElsewhere) == (rc == R::kElsewhere));
    if (ra == R::kFound) {
      FUZZ_CHECK(d && ta >= GIT_OBJECT_COMMIT && ta <= GIT_OBJECT_TAG);
      FUZZ_CHECK(rc == R::kFound && tc == ta && sc == d->size);
      FUZZ_CHECK(rh == R::kFound && th == ta && sh == d->size);
    }
    if (rc == R::kFound && ra != R::kFound) {
      FUZZ_CHECK(ra == R::kCorrupt && a->error().find("it claims to be a") != std::string::npos);
    }
  }
  return 0;
}
