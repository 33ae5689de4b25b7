// SHA-256 for fingerprints and the compiled-rules cache key.
//
// OpenSSL's low-level SHA256_* functions, not EVP: in OpenSSL 3 the first
// EVP digest of a process fetches it from the default provider, which cost
// more than everything else a small push's hook does to decide (callgrind:
// 5.3 M instructions, against 0.1 M for hashing the rules). The low-level
// functions are deprecated in OpenSSL 3 but kept, and compute the same digest.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace akgate {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view bytes);
  std::array<uint8_t, 32> Final();
  // The first `bytes` bytes of the digest in lower-case hex (all 32 by default).
  std::string FinalHex(size_t bytes = 32);

 private:
  struct Context;
  Context* ctx_;
};

}  // namespace akgate
