// Git LFS: the pointer files git holds for LFS-tracked paths, and the LFS
// objects behind them in the server's LFS store.
//
// A push of an LFS-tracked file carries only a pointer (spec v1):
//
//   version https://git-lfs.github.com/spec/v1
//   oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393
//   size 12345
//
// git-lfs uploads the object to the server's LFS store before it pushes, so
// on the server the content is usually already there:
//   - a plain git-lfs layout:  <git dir>/lfs/objects/4d/7a/4d7a2146...2393
//   - GitLab's LFS storage:    <storage path>/4d/7a/214614ab...2393 (the oid
//     without its first four digits; Omnibus GitLab's default storage path
//     is /var/opt/gitlab/gitlab-rails/shared/lfs-objects)
// An object is trusted only when its SHA-256 is the pointer's oid and its
// size the pointer's size.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace akgate {

struct LfsPointer {
  std::string oid;    // 64 lower-case hex digits (sha256)
  uint64_t size = 0;  // the object's size in bytes
};

// Is `blob` an LFS pointer file? (At most 1024 bytes, the version line
// first, then "key value" lines with an `oid sha256:` and a `size`.)
bool ParseLfsPointer(std::string_view blob, LfsPointer* out);

struct LfsStores {
  std::vector<std::string> git_lfs;  // <dir>/aa/bb/<oid> (a repository's lfs/objects)
  std::vector<std::string> gitlab;   // <dir>/aa/bb/<oid without its first four digits>
  std::string Describe() const;      // the directories looked in, for messages
};

enum class LfsRead {
  kFound,     // *content is the object, checked against the pointer
  kMissing,   // in no store: its content cannot be checked
  kOversize,  // present, and larger than max_bytes: not read
};

// Finds the object of `pointer` in `stores` and reads it. An object whose
// size or SHA-256 differs from the pointer is an error naming it.
Status ReadLfsObject(const LfsStores& stores, const LfsPointer& pointer, uint64_t max_bytes, std::string* content,
                     LfsRead* result);

}  // namespace akgate
