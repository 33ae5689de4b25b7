// Git object ids: hash containers keyed by them, and their hex form (the
// git layer's one definition of each).
#pragma once

#include <git2/oid.h>

#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace akgate {

// The 40-digit hex form, for messages.
inline std::string OidHex(const git_oid& id) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &id);
  return buf;
}

// An oid is already a uniform hash: its first bytes serve as the bucket key.
struct OidHash {
  size_t operator()(const git_oid& o) const {
    size_t h;
    std::memcpy(&h, o.id, sizeof h);
    return h;
  }
};
struct OidEq {
  bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b); }
};

using OidSet = std::unordered_set<git_oid, OidHash, OidEq>;
template <typename V>
using OidMap = std::unordered_map<git_oid, V, OidHash, OidEq>;

}  // namespace akgate
