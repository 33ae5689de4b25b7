// A pushed pack's way in: arbitrary bytes through libgit2's indexer, as the
// gateway's PackWriter (gateway/pack_writer.cc) feeds it, then every object
// the indexer accepted read back with akgate's pack reader
// (git/pack_reader.h).
//
// The input is the pack without its trailer: the harness appends the SHA-1
// the indexer checks, so the fuzzer spends its time on the objects.
//
// Checks: every object in the index the indexer wrote is found by the
// reader; an object the reader returns hashes to its id (the indexer hashed
// what it inflated: the reader must read the same bytes, or refuse the
// object with a reason, as it does for a size that lies); the checked size
// agrees; nothing crashes, leaks or hangs in either.
#include <git2.h>
#include <openssl/evp.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "git/pack_reader.h"
#include "git/repository.h"
#include "pack_files.h"

using akgate::PackReader;

namespace {

std::string Sha1(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  FUZZ_CHECK(EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha1(), nullptr) == 1 && len == 20);
  return std::string(reinterpret_cast<char*>(digest), 20);
}

const char* TypeName(git_object_t t) {
  switch (t) {
    case GIT_OBJECT_COMMIT:
      return "commit";
    case GIT_OBJECT_TREE:
      return "tree";
    case GIT_OBJECT_BLOB:
      return "blob";
    case GIT_OBJECT_TAG:
      return "tag";
    default:
      return "?";
  }
}

// The object ids of the .idx libgit2 wrote.
std::vector<git_oid> IdsOf(const std::string& idx_path) {
  std::ifstream in(idx_path, std::ios::binary);
  std::string idx((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  FUZZ_CHECK(idx.size() >= 8 + 1024 && idx.compare(0, 4, "\377tOc", 4) == 0);
  const unsigned char* p = reinterpret_cast<const unsigned char*>(idx.data()) + 8 + 255 * 4;
  uint32_t n = (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
  FUZZ_CHECK(idx.size() >= 8 + 1024 + uint64_t{n} * 28);
  std::vector<git_oid> ids(n);
  for (uint32_t i = 0; i < n; ++i) std::memcpy(ids[i].id, idx.data() + 8 + 1024 + i * 20, 20);
  return ids;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fs = std::filesystem;
  static const std::string objects = [] {
    akgate::InitLibgit2(/*verify_hashes=*/false);  // as PackWriter does
    return akgate_fuzz::ScratchObjectsDir("pack_indexer");
  }();
  const std::string pack_dir = objects + "/pack";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(pack_dir)) fs::remove(e.path(), ec);

  // libgit2 reserves room for the object count the header declares: virtual
  // memory only in a normal build (count 0xffffffff: 0.04 s, 8 MB resident),
  // but ASan's allocator touches it, and a 17-byte input became a 10 s
  // "hang". A pack cannot hold more objects than bytes: such a count says
  // nothing about akgate's code, so it is not tried.
  std::string pack(akgate_fuzz::AsText(data, size));
  pack += Sha1(pack);
  // (The count is read after the trailer is added: an input shorter than
  // the header gets part of its count from the trailer.)
  const unsigned char* h = reinterpret_cast<const unsigned char*>(pack.data());
  uint32_t count = (uint32_t{h[8]} << 24) | (uint32_t{h[9]} << 16) | (uint32_t{h[10]} << 8) | h[11];
  if (count > pack.size()) return 0;

  git_indexer* indexer = nullptr;
  git_indexer_options opts = GIT_INDEXER_OPTIONS_INIT;
  FUZZ_CHECK(git_indexer_new(&indexer, pack_dir.c_str(), 0, nullptr, &opts) == 0);
  git_indexer_progress progress{};
  bool indexed = true;
  // In pieces, as a body arrives.
  for (std::string_view piece : akgate_fuzz::Chunks(pack)) {
    if (git_indexer_append(indexer, piece.data(), piece.size(), &progress) < 0) {
      indexed = false;
      break;
    }
  }
  if (indexed) indexed = git_indexer_commit(indexer, &progress) == 0;
  std::string name = indexed ? git_indexer_name(indexer) : "";
  git_indexer_free(indexer);
  if (!indexed) return 0;

  std::vector<git_oid> ids = IdsOf(pack_dir + "/pack-" + name + ".idx");
  FUZZ_CHECK(ids.size() == progress.total_objects);
  std::unique_ptr<PackReader> reader = PackReader::Open(objects, size_t{8} << 20);
  std::unique_ptr<PackReader> sizes = PackReader::Open(objects, size_t{8} << 20);
  FUZZ_CHECK(reader && sizes);
  using R = PackReader::Result;
  for (const git_oid& id : ids) {
    git_object_t type = GIT_OBJECT_INVALID, checked_type = GIT_OBJECT_INVALID;
    PackReader::Data d;
    R r = reader->Read(id, &type, &d);
    size_t checked = 0;
    R rc = sizes->ReadCheckedHeader(id, &checked_type, &checked);
    FUZZ_CHECK(r == R::kFound || r == R::kCorrupt);  // the indexer took no thin pack
    if (r == R::kCorrupt) {
      FUZZ_CHECK(!reader->error().empty());
      continue;
    }
    std::string object = std::string(TypeName(type)) + " " + std::to_string(d->size) + std::string(1, '\0');
    object.append(d->bytes.get(), d->size);
    FUZZ_CHECK(Sha1(object) == std::string(reinterpret_cast<const char*>(id.id), 20));
    FUZZ_CHECK(rc == R::kFound && checked_type == type && checked == d->size);
  }
  return 0;
}
