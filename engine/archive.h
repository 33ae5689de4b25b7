// Stage 1c: compressed files and archives. A secret in `keys.zip`,
// `k.env.gz` or `backup.tar.gz` is as leaked as one in a plain file, so
// gzip, bzip2, xz and zstd streams and zip, tar, 7z and rar archives
// (recognised by their magic bytes, whatever the file is called) are opened
// with libarchive and every member is scanned as a fragment of its own,
// named `outer!member` (`k.zip!conf/.env`).
//
// Opening is bounded (ContentLimits: bytes expanded, members, nesting depth,
// expansion ratio). What cannot be read within those bounds (encrypted,
// corrupt, too large, nested too deep, a bomb) is never passed silently: the
// caller gets each such member with its reason, counts it as a skip and
// reports it as "unscannable content" with the action the limits give
// (block by default).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "engine/finding.h"
#include "engine/rule.h"

namespace akgate {

// Does `data` start like a container akgate opens (by magic bytes)?
bool LooksLikeArchive(std::string_view data);

// What reading one container has used so far, shared by nested ones.
struct ArchiveBudget {
  uint64_t expanded = 0;  // bytes produced by every member read so far
  uint64_t members = 0;
};

struct ArchiveVisitor {
  // A member read in full (`data` lives for the call). `name` is the
  // member's path inside this container.
  std::function<void(const std::string& name, std::string_view data)> member;
  // A member (or, with an empty name, the rest of the container) that could
  // not be read, and why.
  std::function<void(const std::string& name, SkipReason why)> unscannable;
};

// Reads the container `data` (called `path`, for naming a lone compressed
// stream: `k.env.gz` holds `k.env`) member by member within `limits`.
void ReadArchive(std::string_view path, std::string_view data, const ContentLimits& limits, ArchiveBudget* budget,
                 const ArchiveVisitor& visit);

}  // namespace akgate
