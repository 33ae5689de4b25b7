#include "engine/redact.h"

#include <openssl/evp.h>

namespace akgate {

std::string Redact(std::string_view secret) {
  const size_t n = secret.size();
  size_t front = n >= 16 ? 4 : n >= 10 ? 2 : 0;
  size_t back = n >= 16 ? 2 : 0;
  std::string out(secret.substr(0, front));
  out += "\xE2\x80\xA6";  // …
  out += secret.substr(n - back);
  return out;
}

std::string Fingerprint(std::string_view rule_id, const std::vector<std::string_view>& secrets) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, rule_id.data(), rule_id.size());
  for (std::string_view s : secrets) {
    EVP_DigestUpdate(ctx, "", 1);
    EVP_DigestUpdate(ctx, s.data(), s.size());
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 8; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

}  // namespace akgate
