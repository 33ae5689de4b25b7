#include "engine/literal_index.h"

#include <hs/hs.h>

#include <climits>
#include <cstdlib>
#include <stdexcept>

namespace akgate {

namespace {

struct ScanContext {
  LiteralIndex::HitFn fn;
  void* ctx;
  uint64_t base;         // offset of this chunk in the whole data
  uint64_t report_from;  // hits ending before this were reported by the previous chunk
};

int OnMatch(unsigned int id, unsigned long long /*from*/, unsigned long long to, unsigned int /*flags*/, void* p) {
  auto* c = static_cast<ScanContext*>(p);
  uint64_t end = c->base + to;
  if (end > c->report_from) c->fn(c->ctx, id, end);
  return 0;
}

// Hyperscan takes lengths as unsigned int; larger data is scanned in
// overlapping chunks.
constexpr uint64_t kChunk = 1ull << 30;

}  // namespace

Status LiteralIndex::Build(const std::vector<Literal>& literals, std::unique_ptr<LiteralIndex>* out) {
  if (hs_valid_platform() != HS_SUCCESS)
    return Status::Internal("this CPU lacks SSSE3, which the Hyperscan literal matcher needs");
  std::unique_ptr<LiteralIndex> index(new LiteralIndex());
  index->count_ = literals.size();
  if (literals.empty()) {
    *out = std::move(index);
    return Status::Ok();
  }
  std::vector<const char*> exprs;
  std::vector<size_t> lens;
  std::vector<unsigned> flags, ids;
  for (size_t i = 0; i < literals.size(); ++i) {
    if (literals[i].text.empty()) return Status::Internal("internal: empty literal");
    exprs.push_back(literals[i].text.data());
    lens.push_back(literals[i].text.size());
    flags.push_back(literals[i].caseless ? HS_FLAG_CASELESS : 0);
    ids.push_back(static_cast<unsigned>(i));
    index->max_len_ = std::max(index->max_len_, literals[i].text.size());
  }
  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(), static_cast<unsigned>(exprs.size()),
                           HS_MODE_BLOCK, nullptr, &index->db_, &err) != HS_SUCCESS) {
    std::string msg = "cannot build the literal index: ";
    msg += err && err->message ? err->message : "unknown Hyperscan error";
    if (err && err->expression >= 0) msg += " (literal \"" + literals[err->expression].text + "\")";
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
  index->count_ = literals.size();
  for (const Literal& l : literals) index->max_len_ = std::max(index->max_len_, l.text.size());
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
  ScanContext c{on_hit, ctx, 0, 0};
  uint64_t pos = 0;
  while (pos < data.size()) {
    // Overlap by the longest literal so none is cut in two.
    uint64_t start = pos == 0 ? 0 : pos - std::min<uint64_t>(pos, max_len_ - 1);
    uint64_t len = std::min<uint64_t>(kChunk, data.size() - start);
    c.base = start;
    c.report_from = pos;
    hs_error_t rc = hs_scan(db_, data.data() + start, static_cast<unsigned>(len), 0, scratch.get(), OnMatch, &c);
    if (rc != HS_SUCCESS) throw std::runtime_error("Hyperscan scan failed: error " + std::to_string(rc));
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
