// A loose object (gitformat-loose): the zlib-deflated bytes of
// "<type> <decimal size>\0<content>", named by the SHA-1 of those bytes, at
// objects/<first two hex digits>/<other 38>.
#define OPENSSL_SUPPRESS_DEPRECATED  // SHA1_Init and friends, as engine/sha256.cc
#include "git/loose_reader.h"

#include <fcntl.h>
#include <git2/errors.h>
#include <git2/sys/odb_backend.h>
#include <openssl/sha.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <new>

#include "git/oid_map.h"

namespace akgate {

namespace {

constexpr uint64_t kMaxInflateRatio = 1032;  // deflate's limit (see pack_reader.cc)

struct Backend {
  git_odb_backend parent;  // first: libgit2 sees a git_odb_backend*
  std::string dir;
};

enum class Loose { kFound, kNotFound, kCorrupt };

git_object_t TypeFromName(const std::string& name) {
  if (name == "commit") return GIT_OBJECT_COMMIT;
  if (name == "tree") return GIT_OBJECT_TREE;
  if (name == "blob") return GIT_OBJECT_BLOB;
  if (name == "tag") return GIT_OBJECT_TAG;
  return GIT_OBJECT_INVALID;
}

struct Mapping {
  void* p = MAP_FAILED;
  size_t n = 0;
  ~Mapping() {
    if (p != MAP_FAILED) munmap(p, n);
  }
};

// Reads the loose object `id` under `b`: *type and *size, and with `keep`
// its content in *data (git_odb_backend_data_alloc, size + 1 bytes, NUL
// after). On kCorrupt, *why says what is wrong.
Loose ReadLoose(git_odb_backend* backend, const std::string& dir, const git_oid& id, bool keep, git_object_t* type,
                size_t* size, void** data, std::string* why) {
  const std::string hex = OidHex(id);
  const std::string path = dir + "/" + hex.substr(0, 2) + "/" + hex.substr(2);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return Loose::kNotFound;
    *why = "cannot open it: " + std::string(std::strerror(errno));
    return Loose::kCorrupt;
  }
  struct stat st;
  Mapping m;
  if (fstat(fd, &st) == 0 && st.st_size > 0) {
    m.n = static_cast<size_t>(st.st_size);
    m.p = mmap(nullptr, m.n, PROT_READ, MAP_PRIVATE, fd, 0);
  }
  ::close(fd);
  if (m.p == MAP_FAILED) {
    *why = "cannot read it";
    return Loose::kCorrupt;
  }

  z_stream z{};
  if (inflateInit(&z) != Z_OK) {
    *why = "zlib cannot start";
    return Loose::kCorrupt;
  }
  struct End {
    z_stream* z;
    ~End() { inflateEnd(z); }
  } end{&z};
  z.next_in = static_cast<unsigned char*>(m.p);
  z.avail_in = static_cast<uInt>(std::min<size_t>(m.n, UINT32_MAX));  // a loose object of 4 GiB is not read
  SHA_CTX sha;
  SHA1_Init(&sha);

  unsigned char buf[1 << 16];
  std::string header;
  bool in_header = true;
  uint64_t declared = 0, got = 0;
  char* out = nullptr;
  int rc = Z_OK;
  auto fail = [&](std::string reason) {
    if (out) git_odb_backend_data_free(backend, out);
    *why = std::move(reason);
    return Loose::kCorrupt;
  };
  while (rc == Z_OK) {
    z.next_out = buf;
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    const unsigned char* p = buf;
    size_t n = sizeof buf - z.avail_out;
    SHA1_Update(&sha, p, n);
    if (in_header) {
      const void* nul = std::memchr(p, '\0', n);
      size_t take = nul ? static_cast<const unsigned char*>(nul) - p : n;
      header.append(reinterpret_cast<const char*>(p), take);
      if (header.size() > 32) return fail("its header is malformed");
      if (!nul) continue;
      p += take + 1;
      n -= take + 1;
      in_header = false;
      size_t space = header.find(' ');
      *type = space == std::string::npos ? GIT_OBJECT_INVALID : TypeFromName(header.substr(0, space));
      if (*type == GIT_OBJECT_INVALID) return fail("its header names no object type");
      std::string digits = header.substr(space + 1);
      if (digits.empty() || digits.size() > 19 || digits.find_first_not_of("0123456789") != std::string::npos)
        return fail("its header has no valid size");
      declared = std::stoull(digits);
      if (declared > m.n * kMaxInflateRatio + 64)
        return fail("it declares " + std::to_string(declared) + " bytes, more than its file can hold");
      if (keep && !(out = static_cast<char*>(git_odb_backend_data_alloc(backend, declared + 1))))
        return fail("out of memory");
    }
    if (got + n > declared)
      return fail("it declares a " + header.substr(0, header.find(' ')) + " of " + std::to_string(declared) +
                  " bytes but holds more");
    if (out) std::memcpy(out + got, p, n);
    got += n;
  }
  if (rc != Z_STREAM_END) return fail("its data is not a complete zlib stream");
  if (in_header) return fail("its header is malformed");
  if (got != declared)
    return fail("it declares a " + header.substr(0, header.find(' ')) + " of " + std::to_string(declared) +
                " bytes but holds " + std::to_string(got));
  if (z.avail_in != 0) return fail("there are bytes after its zlib stream");
  unsigned char md[SHA_DIGEST_LENGTH];
  SHA1_Final(md, &sha);
  if (std::memcmp(md, id.id, sizeof md) != 0) return fail("its content does not hash to its name");
  *size = declared;
  if (out) {
    out[declared] = '\0';
    *data = out;
  }
  return Loose::kFound;
}

int Report(const Loose r, const git_oid& id, const std::string& dir, const std::string& why) {
  if (r == Loose::kFound) return 0;
  if (r == Loose::kNotFound) return GIT_ENOTFOUND;
  std::string message =
      "the loose object " + OidHex(id) + " in " + dir + " cannot be read as what it claims to be: " + why;
  git_error_set_str(GIT_ERROR_ODB, message.c_str());
  return GIT_ERROR;
}

// No exception may cross libgit2's C frames (see pack_reader.cc).
int BackendRead(void** out, size_t* len, git_object_t* type, git_odb_backend* b, const git_oid* id) try {
  const std::string& dir = reinterpret_cast<Backend*>(b)->dir;
  std::string why;
  return Report(ReadLoose(b, dir, *id, true, type, len, out, &why), *id, dir, why);
} catch (const std::bad_alloc&) {
  git_error_set_oom();
  return GIT_ERROR;
}

int BackendReadHeader(size_t* len, git_object_t* type, git_odb_backend* b, const git_oid* id) try {
  const std::string& dir = reinterpret_cast<Backend*>(b)->dir;
  std::string why;
  return Report(ReadLoose(b, dir, *id, false, type, len, nullptr, &why), *id, dir, why);
} catch (const std::bad_alloc&) {
  git_error_set_oom();
  return GIT_ERROR;
}

// libgit2's own loose backend lists and finds these objects.
int BackendForeach(git_odb_backend*, git_odb_foreach_cb, void*) { return 0; }

void BackendFree(git_odb_backend* b) { delete reinterpret_cast<Backend*>(b); }

}  // namespace

Status AddLooseReaderBackend(git_odb* odb, const std::string& objects_dir) {
  auto* b = new Backend();
  if (git_odb_init_backend(&b->parent, GIT_ODB_BACKEND_VERSION) < 0) {
    delete b;
    return Status::Internal("cannot set up the loose object reader");
  }
  b->dir = objects_dir;
  b->parent.read = &BackendRead;
  b->parent.read_header = &BackendReadHeader;
  b->parent.foreach = &BackendForeach;
  b->parent.free = &BackendFree;
  // After the pack reader (100), ahead of libgit2's own backends (1 and 2).
  if (git_odb_add_backend(odb, &b->parent, 50) < 0) {
    delete b;
    return Status::Internal("cannot add the loose object reader to the object database");
  }
  return Status::Ok();
}

}  // namespace akgate
