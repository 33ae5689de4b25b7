// Stage 2: one pass over the bytes finds every literal any rule cares about.
//
// A LiteralIndex is a Hyperscan literal database (FDR/Teddy: several GB/s per
// core). It reports the end offset of every occurrence of every literal, in
// increasing order. The index is immutable and shared; each thread scans with
// its own LiteralScratch.
//
// Only the literals that contain no other literal are given to Hyperscan
// (with the default rules, 606 of 889: `access_key_secret` contains `secret`).
// A hit of such a literal checks, in place, the longer literals built on it,
// and their hits are reported in end order with the others. The hits are
// exactly those of a database of every literal, and Hyperscan compiles the
// smaller set about ten times faster (its small-block engine, built for
// every database, grows with the literals).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

struct hs_database;
struct hs_scratch;

namespace akgate {

struct Literal {
  std::string text;
  bool caseless = true;
};

class LiteralScratch;

class LiteralIndex {
 public:
  // An empty literal list is valid: Scan then reports nothing.
  static Status Build(const std::vector<Literal>& literals, std::unique_ptr<LiteralIndex>* out);
  // The same index from Serialize()'s bytes (compile_cache.h); fails on bytes
  // that are not a database for this Hyperscan build and platform.
  static Status Load(const std::vector<Literal>& literals, std::string_view serialized,
                     std::unique_ptr<LiteralIndex>* out);
  std::string Serialize() const;
  ~LiteralIndex();

  // Calls on_hit(literal_id, end_offset) for each occurrence; literal_id is
  // the literal's index in the list given to Build.
  using HitFn = void (*)(void* ctx, uint32_t literal_id, uint64_t end);
  void Scan(std::string_view data, LiteralScratch& scratch, HitFn on_hit, void* ctx) const;

  size_t size() const { return count_; }
  hs_database* database() const { return db_; }

 private:
  LiteralIndex() = default;
  // Which literals Hyperscan scans for, and the longer ones each one checks.
  void Plan(const std::vector<Literal>& literals);
  friend struct LiteralScan;

  // A literal that contains `within`'s literal at `offset` (its first
  // occurrence there).
  struct Containing {
    uint32_t id;
    uint32_t offset;
  };
  std::vector<Literal> literals_;
  std::vector<uint8_t> scanned_;                 // per literal: given to Hyperscan
  std::vector<std::vector<Containing>> within_;  // per scanned literal
  hs_database* db_ = nullptr;
  size_t count_ = 0;
  size_t max_len_ = 0;
};

class LiteralScratch {
 public:
  explicit LiteralScratch(const LiteralIndex& index);
  ~LiteralScratch();
  LiteralScratch(const LiteralScratch&) = delete;
  LiteralScratch& operator=(const LiteralScratch&) = delete;
  hs_scratch* get() const { return scratch_; }

 private:
  hs_scratch* scratch_ = nullptr;
};

}  // namespace akgate
