#include "gateway/basic_auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cctype>
#include <cstdint>

namespace akgate::gateway {

namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr size_t kMaxUser = 256;

void Wipe(std::string* s) {
  if (!s->empty()) OPENSSL_cleanse(s->data(), s->size());
  s->clear();
}

}  // namespace

BasicCredentials::~BasicCredentials() { Wipe(&password); }

bool ParseBasicAuth(std::string_view auth, BasicCredentials* out) {
  if (auth.size() < 6) return false;
  for (size_t i = 0; i < 5; ++i)
    if (std::tolower(static_cast<unsigned char>(auth[i])) != "basic"[i]) return false;
  if (auth[5] != ' ') return false;
  std::string_view b64 = auth.substr(6);
  while (!b64.empty() && b64.front() == ' ') b64.remove_prefix(1);
  // RFC 4648 base64, padded or not; anything else (a character outside the
  // alphabet, data after the padding, a dangling character) is not Basic.
  std::string decoded;
  uint32_t acc = 0;
  int bits = 0;
  size_t data = 0, padding = 0;
  for (char c : b64) {
    if (c == '=') {
      ++padding;
      continue;
    }
    size_t v = kAlphabet.find(c);
    if (v == std::string_view::npos || padding > 0) {
      Wipe(&decoded);
      return false;
    }
    ++data;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      decoded += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  if (data % 4 == 1 || padding > 2 || (padding > 0 && (data + padding) % 4 != 0)) {
    Wipe(&decoded);
    return false;
  }
  size_t colon = decoded.find(':');
  bool ok = colon <= kMaxUser;  // no colon (npos) is over the limit too
  for (size_t i = 0; ok && i < colon; ++i) ok = static_cast<unsigned char>(decoded[i]) >= 0x20 && decoded[i] != 0x7f;
  if (ok) {
    out->user = decoded.substr(0, colon);
    Wipe(&out->password);
    out->password = decoded.substr(colon + 1);
  }
  Wipe(&decoded);
  return ok;
}

std::string BasicAuthUser(std::string_view authorization) {
  BasicCredentials c;
  return ParseBasicAuth(authorization, &c) ? c.user : "";
}

std::string EncodeBasicAuth(std::string_view user, std::string_view password) {
  std::string plain;
  plain.reserve(user.size() + 1 + password.size());
  plain.append(user).append(1, ':').append(password);
  std::string b64(4 * ((plain.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                          reinterpret_cast<const unsigned char*>(plain.data()), static_cast<int>(plain.size()));
  b64.resize(static_cast<size_t>(n));
  Wipe(&plain);
  return "Basic " + b64;
}

}  // namespace akgate::gateway
