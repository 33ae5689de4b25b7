#define OPENSSL_SUPPRESS_DEPRECATED  // SHA256_Init and friends: see sha256.h
#include "engine/sha256.h"

#include <openssl/sha.h>

namespace akgate {

struct Sha256::Context {
  SHA256_CTX c;
};

Sha256::Sha256() : ctx_(new Context) { SHA256_Init(&ctx_->c); }
Sha256::~Sha256() { delete ctx_; }

void Sha256::Update(std::string_view bytes) { SHA256_Update(&ctx_->c, bytes.data(), bytes.size()); }

std::array<uint8_t, 32> Sha256::Final() {
  std::array<uint8_t, 32> md{};
  SHA256_Final(md.data(), &ctx_->c);
  return md;
}

std::string Sha256::FinalHex(size_t bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::array<uint8_t, 32> md = Final();
  std::string out;
  for (size_t i = 0; i < bytes && i < md.size(); ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

}  // namespace akgate
