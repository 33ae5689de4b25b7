// Pairing's work grows with the input, not with its square: one line holding
// thousands of AccessKey IDs and secrets (a minified bundle, a dump) used to
// weigh every ID against every value on its line. Measured by the scan's own
// work counter, never by the clock.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "ak_pair_rules.h"
#include "engine/rule_loader.h"
#include "engine/scanner.h"

using namespace akgate;
using akgate::testing::kAkPairRules;

namespace {

std::string Random(std::mt19937_64& rng, size_t n) {
  static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string s;
  for (size_t i = 0; i < n; ++i) s += a[rng() % 62];
  return s;
}

// `n` pairs on one line: half keyed (`access_key_secret=`), half positional
// (`Client("LTAI..", "secret")`), plus as many lone IDs.
std::string OneLine(size_t n) {
  std::mt19937_64 rng(42);
  std::string line;
  for (size_t i = 0; i < n; ++i) {
    line += "LTAI" + Random(rng, 20) + " ";
    if (i % 2)
      line += "LTAI" + Random(rng, 20) + " access_key_secret=" + Random(rng, 30) + " ";
    else
      line += "Client(\"LTAI" + Random(rng, 20) + "\", \"" + Random(rng, 30) + "\") ";
  }
  return line + "\n";
}

struct Counted {
  size_t pairs = 0, lone = 0;
  uint64_t comparisons = 0;
};

Counted ScanOneLine(const Scanner& scanner, size_t n) {
  ScanScratch scratch(scanner);
  std::string text = OneLine(n);
  FragmentResult r = scanner.Scan({"dump.txt", text}, scratch);
  Counted c;
  for (const Finding& f : r.findings) (f.is_pair() ? c.pairs : c.lone)++;
  c.comparisons = r.pair_comparisons;
  return c;
}

}  // namespace

TEST_CASE("pairing work is linear: a line of thousands of IDs costs twice as much when doubled") {
  RuleSet rules;
  REQUIRE(LoadRulesFromString(kAkPairRules, "<test>", &rules).ok());
  std::unique_ptr<Scanner> scanner;
  REQUIRE(Scanner::Create(rules, "", &scanner).ok());

  Counted small = ScanOneLine(*scanner, 4000), large = ScanOneLine(*scanner, 8000);
  // Every ID with a value next to it pairs; the others stay lone warnings.
  CHECK(small.pairs == 4000);
  CHECK(small.lone == 4000);
  CHECK(large.pairs == 8000);
  CHECK(large.lone == 8000);
  MESSAGE("comparisons: " << small.comparisons << " for 4000 pairs, " << large.comparisons << " for 8000");
  REQUIRE(small.comparisons > 0);
  const double growth = static_cast<double>(large.comparisons) / static_cast<double>(small.comparisons);
  CHECK(growth > 1.8);
  CHECK(growth < 2.2);
  // A constant per candidate, not one per pair of candidates (that was 4000 x 8000 here).
  CHECK(small.comparisons < 100u * 4000u);
}
