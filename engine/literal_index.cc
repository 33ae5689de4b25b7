#include "engine/literal_index.h"

#include <hs/hs.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <unordered_map>

namespace akgate {

namespace {

// Hyperscan takes lengths as unsigned int; larger data is scanned in
// overlapping chunks.
constexpr uint64_t kChunk = 1ull << 30;

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

}  // namespace

// One scan's state: the chunk, and the hits of longer literals found ahead
// of Hyperscan's position, held until their end is reached so that every
// hit is reported in increasing end order.
struct LiteralScan {
  struct Pending {
    uint64_t end;
    uint32_t id;
    bool operator>(const Pending& o) const { return end != o.end ? end > o.end : id > o.id; }
  };
  const LiteralIndex* index;
  LiteralIndex::HitFn fn;
  void* ctx;
  std::string_view chunk;
  uint64_t base;                 // offset of this chunk in the whole data
  uint64_t report_from;          // hits ending before this were reported by the previous chunk
  std::vector<Pending> pending;  // a min-heap on (end, id)

  void Report(uint32_t id, uint64_t end) {
    if (end > report_from) fn(ctx, id, end);
  }
  void ReportPendingUpTo(uint64_t end) {
    while (!pending.empty() && pending.front().end <= end) {
      std::pop_heap(pending.begin(), pending.end(), std::greater<>());
      Report(pending.back().id, pending.back().end);
      pending.pop_back();
    }
  }
  bool Matches(const Literal& l, uint64_t start) const {
    if (start + l.text.size() > chunk.size()) return false;
    const char* p = chunk.data() + start;
    if (!l.caseless) return std::string_view(p, l.text.size()) == l.text;
    for (size_t i = 0; i < l.text.size(); ++i)
      if (AsciiLower(p[i]) != l.text[i]) return false;
    return true;
  }
  void OnHit(uint32_t id, uint64_t to) {  // `to` within the chunk
    const uint64_t end = base + to;
    ReportPendingUpTo(end);
    Report(id, end);
    const uint64_t len = index->literals_[id].text.size();
    for (const LiteralIndex::Containing& c : index->within_[id]) {
      if (to < len + c.offset) continue;
      const uint64_t start = to - len - c.offset;
      const Literal& longer = index->literals_[c.id];
      if (!Matches(longer, start)) continue;
      const uint64_t longer_end = base + start + longer.text.size();
      if (longer_end == end) {
        Report(c.id, end);
      } else {
        pending.push_back({longer_end, c.id});
        std::push_heap(pending.begin(), pending.end(), std::greater<>());
      }
    }
  }
};

namespace {

int OnMatch(unsigned int id, unsigned long long /*from*/, unsigned long long to, unsigned int /*flags*/, void* p) {
  static_cast<LiteralScan*>(p)->OnHit(id, to);
  return 0;
}

}  // namespace

void LiteralIndex::Plan(const std::vector<Literal>& literals) {
  literals_ = literals;
  count_ = literals.size();
  for (const Literal& l : literals) max_len_ = std::max(max_len_, l.text.size());
  // Literal texts by case mode; a caseless literal's text is lower case.
  std::unordered_map<std::string_view, uint32_t> caseless, exact;
  for (uint32_t i = 0; i < literals_.size(); ++i) {
    const Literal& l = literals_[i];
    if (l.caseless && l.text != AsciiLower(l.text)) literals_[i].text = AsciiLower(l.text);
    (l.caseless ? caseless : exact).emplace(literals_[i].text, i);
  }
  // Literal `j` is within literal `i` when every occurrence of `i` holds one
  // of `j`: a caseless `j` within the lower-cased text of `i`, an exact `j`
  // within the exact text of an exact `i`. Each literal is checked by the
  // longest scanned literal within it (the rarest, likely), at its first
  // occurrence, so each occurrence is reported once.
  scanned_.assign(literals_.size(), 1);
  std::vector<std::pair<uint32_t, Containing>> found(literals_.size(), {UINT32_MAX, {0, 0}});
  for (int pass = 0; pass < 2; ++pass) {
    for (uint32_t i = 0; i < literals_.size(); ++i) {
      const Literal& l = literals_[i];
      if (pass == 1 && scanned_[i]) continue;
      const std::string lower = AsciiLower(l.text);
      size_t best_len = 0;
      for (size_t len = l.text.size(); len >= 1 && best_len == 0; --len) {
        for (size_t at = 0; at + len <= l.text.size(); ++at) {
          auto within = [&](const std::unordered_map<std::string_view, uint32_t>& set, std::string_view text) {
            auto it = set.find(text.substr(at, len));
            return it != set.end() && it->second != i && (pass == 0 || scanned_[it->second]) ? it->second : UINT32_MAX;
          };
          uint32_t j = within(caseless, lower);
          if (j == UINT32_MAX && !l.caseless) j = within(exact, l.text);
          if (j == UINT32_MAX) continue;
          if (pass == 0) {
            scanned_[i] = 0;
          } else {
            found[i] = {j, {i, static_cast<uint32_t>(at)}};
          }
          best_len = len;
          break;
        }
      }
    }
  }
  within_.assign(literals_.size(), {});
  for (uint32_t i = 0; i < literals_.size(); ++i) {
    if (scanned_[i]) continue;
    if (found[i].first == UINT32_MAX)  // not expected (containment is transitive): scan it
      scanned_[i] = 1;
    else
      within_[found[i].first].push_back(found[i].second);
  }
}

Status LiteralIndex::Build(const std::vector<Literal>& literals, std::unique_ptr<LiteralIndex>* out) {
  if (hs_valid_platform() != HS_SUCCESS)
    return Status::Internal("this CPU lacks SSSE3, which the Hyperscan literal matcher needs");
  std::unique_ptr<LiteralIndex> index(new LiteralIndex());
  for (const Literal& l : literals)
    if (l.text.empty()) return Status::Internal("internal: empty literal");
  index->Plan(literals);
  if (literals.empty()) {
    *out = std::move(index);
    return Status::Ok();
  }
  std::vector<const char*> exprs;
  std::vector<size_t> lens;
  std::vector<unsigned> flags, ids;
  for (size_t i = 0; i < literals.size(); ++i) {
    if (!index->scanned_[i]) continue;
    exprs.push_back(literals[i].text.data());
    lens.push_back(literals[i].text.size());
    flags.push_back(literals[i].caseless ? HS_FLAG_CASELESS : 0);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(), static_cast<unsigned>(exprs.size()),
                           HS_MODE_BLOCK, nullptr, &index->db_, &err) != HS_SUCCESS) {
    std::string msg = "cannot build the literal index: ";
    msg += err && err->message ? err->message : "unknown Hyperscan error";
    if (err && err->expression >= 0) msg += " (literal \"" + literals[ids[err->expression]].text + "\")";
    hs_free_compile_error(err);
    return Status::Internal(msg);
  }
  *out = std::move(index);
  return Status::Ok();
}

Status LiteralIndex::Load(const std::vector<Literal>& literals, std::string_view serialized,
                          std::unique_ptr<LiteralIndex>* out) {
  if (hs_valid_platform() != HS_SUCCESS)
    return Status::Internal("this CPU lacks SSSE3, which the Hyperscan literal matcher needs");
  std::unique_ptr<LiteralIndex> index(new LiteralIndex());
  for (const Literal& l : literals)
    if (l.text.empty()) return Status::Internal("internal: empty literal");
  index->Plan(literals);
  if (literals.empty() != serialized.empty()) return Status::Corrupt("cached literal index does not match");
  if (!serialized.empty()) {
    if (hs_deserialize_database(serialized.data(), serialized.size(), &index->db_) != HS_SUCCESS)
      return Status::Corrupt("cached literal index is not usable here");
    char* info = nullptr;
    if (hs_database_info(index->db_, &info) != HS_SUCCESS) return Status::Corrupt("cached literal index is damaged");
    free(info);
  }
  *out = std::move(index);
  return Status::Ok();
}

std::string LiteralIndex::Serialize() const {
  if (!db_) return "";
  char* bytes = nullptr;
  size_t len = 0;
  if (hs_serialize_database(db_, &bytes, &len) != HS_SUCCESS) return "";
  std::string out(bytes, len);
  free(bytes);
  return out;
}

LiteralIndex::~LiteralIndex() {
  if (db_) hs_free_database(db_);
}

void LiteralIndex::Scan(std::string_view data, LiteralScratch& scratch, HitFn on_hit, void* ctx) const {
  if (!db_ || data.empty()) return;
  LiteralScan c{this, on_hit, ctx, {}, 0, 0, {}};
  uint64_t pos = 0;
  while (pos < data.size()) {
    // Overlap by the longest literal so none is cut in two.
    uint64_t start = pos == 0 ? 0 : pos - std::min<uint64_t>(pos, max_len_ - 1);
    uint64_t len = std::min<uint64_t>(kChunk, data.size() - start);
    c.chunk = data.substr(start, len);
    c.base = start;
    c.report_from = pos;
    hs_error_t rc = hs_scan(db_, data.data() + start, static_cast<unsigned>(len), 0, scratch.get(), OnMatch, &c);
    if (rc != HS_SUCCESS) throw std::runtime_error("Hyperscan scan failed: error " + std::to_string(rc));
    c.ReportPendingUpTo(UINT64_MAX);  // longer literals verified inside this chunk
    pos = start + len;
  }
}

LiteralScratch::LiteralScratch(const LiteralIndex& index) {
  if (index.database() && hs_alloc_scratch(index.database(), &scratch_) != HS_SUCCESS)
    throw std::runtime_error("cannot allocate Hyperscan scratch space");
}

LiteralScratch::~LiteralScratch() {
  if (scratch_) hs_free_scratch(scratch_);
}

}  // namespace akgate
