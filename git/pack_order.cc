// Sorting object ids by where they sit in the packs (pack_index.h reads
// the offsets).
#include "git/pack_order.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "git/pack_index.h"

namespace akgate {

PackOrder::PackOrder(const std::vector<std::string>& object_dirs, size_t max_packs) {
  namespace fs = std::filesystem;
  for (const std::string& dir : object_dirs) {
    std::error_code ec;
    std::vector<std::string> idx;
    for (fs::directory_iterator it(fs::path(dir) / "pack", ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".idx") idx.push_back(it->path().string());
    std::sort(idx.begin(), idx.end());
    for (const std::string& p : idx) {
      if (packs_.size() >= max_packs) return;
      auto index = std::make_unique<PackIndex>();
      if (index->Open(p)) packs_.push_back(std::move(index));
    }
  }
}

PackOrder::~PackOrder() = default;

uint64_t PackOrder::Key(const git_oid& id) const {
  for (size_t i = 0; i < packs_.size(); ++i) {
    uint64_t off;
    if (packs_[i]->Find(id, &off)) return (uint64_t{i} << 48) | (off & ((uint64_t{1} << 48) - 1));
  }
  return UINT64_MAX;
}

void PackOrder::Sort(std::vector<git_oid>* ids) const {
  std::vector<std::pair<uint64_t, size_t>> keys(ids->size());
  for (size_t i = 0; i < ids->size(); ++i) keys[i] = {Key((*ids)[i]), i};
  std::sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return git_oid_cmp(&(*ids)[a.second], &(*ids)[b.second]) < 0;
  });
  std::vector<git_oid> sorted(ids->size());
  for (size_t i = 0; i < keys.size(); ++i) sorted[i] = (*ids)[keys[i].second];
  *ids = std::move(sorted);
}

}  // namespace akgate
