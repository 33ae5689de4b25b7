// What the fuzz targets share: a check that crashes (so libFuzzer keeps the
// input as a reproducer) and a split of the input into chunks derived from
// the input itself (so a reproducer replays the same way).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

// An invariant of the code under test. Failing it is a finding, like a crash.
#define FUZZ_CHECK(cond)                                                                      \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)

namespace akgate_fuzz {

// `in` cut into pieces of 1 to 64 bytes, their sizes drawn from a generator
// seeded with the input's own hash: a streaming parser must give the same
// answer whatever the cuts.
inline std::vector<std::string_view> Chunks(std::string_view in) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : in) h = (h ^ c) * 1099511628211ull;
  std::vector<std::string_view> out;
  while (!in.empty()) {
    h ^= h << 13;
    h ^= h >> 7;
    h ^= h << 17;
    size_t n = 1 + (h % 64);
    if (n > in.size()) n = in.size();
    out.push_back(in.substr(0, n));
    in.remove_prefix(n);
  }
  return out;
}

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace akgate_fuzz
