// The literal index reports every occurrence of every literal, in end order,
// although Hyperscan is given only the literals that contain no other one
// (literal_index.h): the longer ones are checked where a shorter one hits.
#include "engine/literal_index.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

using namespace akgate;

namespace {

using Hit = std::pair<uint64_t, uint32_t>;  // (end, literal id)

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Every occurrence of every literal, the slow way.
std::vector<Hit> Naive(const std::vector<Literal>& literals, const std::string& data) {
  std::vector<Hit> out;
  for (uint32_t id = 0; id < literals.size(); ++id) {
    const Literal& l = literals[id];
    for (size_t at = 0; at + l.text.size() <= data.size(); ++at) {
      bool equal = true;
      for (size_t i = 0; i < l.text.size() && equal; ++i)
        equal = l.caseless ? Lower(data[at + i]) == Lower(l.text[i]) : data[at + i] == l.text[i];
      if (equal) out.push_back({at + l.text.size(), id});
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Collected {
  std::vector<Hit> hits;
  bool in_order = true;
};

void Collect(void* p, uint32_t id, uint64_t end) {
  auto* c = static_cast<Collected*>(p);
  if (!c->hits.empty() && end < c->hits.back().first) c->in_order = false;
  c->hits.push_back({end, id});
}

Collected Scan(const LiteralIndex& index, const std::string& data) {
  LiteralScratch scratch(index);
  Collected c;
  index.Scan(data, scratch, &Collect, &c);
  return c;
}

// Literals within literals: caseless in caseless (`secret` in
// `access_key_secret`), an exact literal in an exact one, a caseless one in an
// exact one, an exact one that is NOT implied by a caseless one containing it,
// a literal twice inside another, chains (`key` in `_key` in `api_key`).
const std::vector<Literal> kLiterals = {
    {"secret", true},  {"access_key_secret", true},
    {"key", true},     {"_key", true},
    {"api_key", true}, {"keykey", true},
    {"LTAI", false},   {"xLTAIy", false},
    {"ltai_id", true}, {"ABab", false},
    {"abab", true},    {"aBaBaB", false},
    {"sts.", true},    {"sts.sts.", true},
    {"k", true},       {"zz", false},
    {"azzz", true},    {"QQ", false},
    {"xQQx", false},   {"qq", true},
};

}  // namespace

TEST_CASE("literal index: every occurrence of every literal, in end order, with nested literals") {
  std::unique_ptr<LiteralIndex> index;
  REQUIRE(LiteralIndex::Build(kLiterals, &index).ok());
  CHECK(index->size() == kLiterals.size());

  std::vector<std::string> texts = {
      "ACCESS_KEY_SECRET=1 api_key: x Api_Key keyKEYkey sts.sts.sts. xLTAIy xltaiy LTAI_ID ltai_id",
      "ABABAB aBaBaB abab ABab zzz AZZZ azzz xQQx xqqx QQQQ",
      "",
      "k",
  };
  // Random text over a small alphabet, so literals overlap and repeat.
  std::mt19937 rng(12345);
  const std::string alphabet = "kKeEyY_aApPiIsStT.LlzZqQxXbB";
  for (int n = 0; n < 200; ++n) {
    std::string t;
    size_t len = rng() % 300;
    for (size_t i = 0; i < len; ++i) t += alphabet[rng() % alphabet.size()];
    // Plant some whole literals, in random case when caseless.
    for (int k = 0; k < 5 && !t.empty(); ++k) {
      const Literal& l = kLiterals[rng() % kLiterals.size()];
      std::string lit = l.text;
      if (l.caseless)
        for (char& c : lit) c = (rng() & 1) ? static_cast<char>(std::toupper(c)) : c;
      t.insert(rng() % t.size(), lit);
    }
    texts.push_back(t);
  }
  for (const std::string& t : texts) {
    CAPTURE(t);
    Collected got = Scan(*index, t);
    CHECK(got.in_order);
    std::sort(got.hits.begin(), got.hits.end());
    CHECK(got.hits == Naive(kLiterals, t));
  }
}

TEST_CASE("literal index: a serialized index reports the same hits") {
  std::unique_ptr<LiteralIndex> built, loaded;
  REQUIRE(LiteralIndex::Build(kLiterals, &built).ok());
  REQUIRE(LiteralIndex::Load(kLiterals, built->Serialize(), &loaded).ok());
  const std::string t = "xLTAIy ltai_id AccessKeySecret access_key_secret api_key keykeykey aBaBaB xQQx";
  Collected a = Scan(*built, t), b = Scan(*loaded, t);
  CHECK(a.hits == b.hits);
  CHECK(a.hits.size() == Naive(kLiterals, t).size());
}
