// Reading objects straight from the pushed pack, with a delta-base cache that
// suits a push's access pattern, as a libgit2 object-database backend.
//
// Why not libgit2's own pack reader: libgit2 1.5 keeps a 16 MB delta-base
// cache per pack and, once it is full, empties all of it. Reading a long
// history's trees in commit order then re-inflates whole delta chains: on a
// 20,000-commit push, 7.8 inflates per tree read and about four times the CPU
// of `git cat-file --batch` on the same objects. This reader keeps every
// object it materialises (up to 4 MiB each) in an LRU cache, so a delta is
// usually applied to a base that is already there, whatever the order.
//
// It also checks what it reads, because in a gateway nothing else does:
// libgit2's indexer accepts a pack whose object inflates to more or fewer
// bytes than its header declares (git's index-pack refuses it). An object
// whose inflated size differs from its declared size, a delta that does not
// fit its base or its declared target size, or a commit, tree or tag whose
// content is not one is an error (kCorrupt, with the reason in error()),
// never handed on to libgit2 to read its own way. What this reader does not
// hold (a loose object, another pack, a delta base elsewhere) goes on to
// libgit2's own backends (GIT_PASSTHROUGH).
// One reader per Repository handle, so per thread; not thread-safe itself.
#pragma once

#include <git2/odb.h>
#include <git2/oid.h>
#include <git2/types.h>

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/status.h"

struct libdeflate_decompressor;

namespace akgate {

class PackIndex;

class PackReader {
 public:
  struct Buffer {
    std::unique_ptr<char[]> bytes;
    size_t size = 0;
  };
  using Data = std::shared_ptr<const Buffer>;

  // The packs under `<objects_dir>/pack` with version-2 indexes; null when
  // there are none.
  static std::unique_ptr<PackReader> Open(const std::string& objects_dir, size_t cache_bytes);
  ~PackReader();

  // kElsewhere: held here, but its delta base is not (libgit2 reads it);
  // kCorrupt: the object cannot be read as what it claims to be (error()).
  enum class Result { kFound, kNotFound, kElsewhere, kCorrupt };
  Result Read(const git_oid& id, git_object_t* type, Data* data);
  // The declared type and size, from the headers alone (no inflating).
  Result ReadHeader(const git_oid& id, git_object_t* type, size_t* size);
  // The type and size, checked: the object is read and its size compared
  // with the declared one without keeping it in memory (a large blob is
  // inflated in pieces). For a claim that decides whether a blob is read.
  Result ReadCheckedHeader(const git_oid& id, git_object_t* type, size_t* size);
  bool Contains(const git_oid& id) const;
  const std::string& error() const { return error_; }  // why the last kCorrupt

 private:
  struct Pack;
  static std::shared_ptr<const Pack> SharedPack(const std::string& idx_path);
  PackReader() = default;
  bool Locate(const git_oid& id, size_t* pack, uint64_t* offset) const;
  Result ReadAt(size_t pack, uint64_t offset, git_object_t* type, Data* data);
  Result HeaderAt(size_t pack, uint64_t offset, git_object_t* type, size_t* size);
  struct Link {  // an object's place and header in a pack
    uint64_t offset, data, size;
    size_t pack;
  };
  Result Descend(size_t pack, uint64_t offset, std::vector<Link>* chain, Data* cached, git_object_t* type, Link* whole);
  Result CheckedSizeAt(size_t pack, uint64_t offset, git_object_t* type, uint64_t* size);
  Result Corrupt(size_t pack, uint64_t offset, const std::string& why);
  Result DeltaTooLarge(const Link& delta);

  // LRU of materialised objects by (pack, offset).
  Data CacheGet(uint64_t key, git_object_t* type);
  void CachePut(uint64_t key, git_object_t type, const Data& data);

  std::vector<std::shared_ptr<const Pack>> packs_;
  struct FreeInflater {
    void operator()(libdeflate_decompressor* d) const;
  };
  std::unique_ptr<libdeflate_decompressor, FreeInflater> inflater_;  // per reader: not thread-safe
  struct Entry {
    uint64_t key;
    git_object_t type;
    Data data;
  };
  std::list<Entry> lru_;  // most recent first
  std::unordered_map<uint64_t, std::list<Entry>::iterator> cache_;
  size_t cache_bytes_ = 0, cache_limit_ = 0;
  std::string error_;
};

// Puts a PackReader over `objects_dir`'s packs in front of `odb`'s own
// backends (the odb owns it). No packs there: nothing is added.
Status AddPackReaderBackend(git_odb* odb, const std::string& objects_dir, size_t cache_bytes);

// `id` straight from a pack reader in `odb`, with no copy: *data is shared
// with that reader's cache (the blob scanner reads every blob so, instead
// of through git_odb_read, which copies each into a libgit2 buffer: a
// tenth of a history scan's CPU). kNotFound or kElsewhere: no reader there
// holds it whole, read it through libgit2; kCorrupt: *error says why.
PackReader::Result ReadFromPackReaders(git_odb* odb, const git_oid& id, git_object_t* type, PackReader::Data* data,
                                       std::string* error);

// The size of `id` as its content has it, for a header that claims more
// than the caller will read (a blob skipped as oversize must really be that
// large): checked by the pack reader in `odb` when it holds the object, else
// libgit2's header (loose objects: see loose_reader.h). Errors name the
// object and what disagrees.
Status CheckedObjectSize(git_odb* odb, const git_oid& id, size_t* size);

}  // namespace akgate
