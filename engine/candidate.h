// Internal to the engine: a confirmed regex match that passed its rule's
// filters, before pairing turns candidates into findings. This is the only
// place a whole secret lives, and it never leaves the engine.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace akgate {

struct Candidate {
  uint32_t rule = 0;   // index into CompiledRules::rules()
  uint64_t start = 0;  // the secret's span in the fragment
  uint64_t end = 0;
  uint32_t line = 0;  // 1-based, filled before pairing
  std::string secret;
  bool from_near = false;  // found by a pair's near_regex, not by its rule
  bool used = false;       // consumed by a pair
};

// Byte range [begin, end) of a fragment that a rule's regex must examine.
struct Window {
  uint64_t begin = 0;
  uint64_t end = 0;
};

// 1-based line numbers of ascending offsets, counting newlines once.
void AssignLines(std::string_view data, std::vector<Candidate>* sorted_by_start);

// The line that holds `offset` (without its newline), for allowlists and
// inline markers; at most `cap` bytes either side.
std::string_view LineAround(std::string_view data, uint64_t offset, uint64_t cap = 4096);

}  // namespace akgate
