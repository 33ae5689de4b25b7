#include "engine/validators.h"

#include <zlib.h>

#include <cmath>
#include <cstring>
#include <string>

namespace akgate {

double ShannonEntropy(std::string_view s) {
  if (s.empty()) return 0.0;
  int counts[256] = {};
  for (unsigned char c : s) counts[c]++;
  double h = 0.0;
  const double n = static_cast<double>(s.size());
  for (int c : counts) {
    if (!c) continue;
    double p = c / n;
    h -= p * std::log2(p);
  }
  return h;
}

bool ValidGitHubChecksum(std::string_view token) {
  size_t us = token.rfind('_');
  std::string_view body = us == std::string_view::npos ? token : token.substr(us + 1);
  if (body.size() != 36) return false;
  std::string_view random = body.substr(0, 30), check = body.substr(30);
  uint32_t crc =
      static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(random.data()), static_cast<uInt>(random.size())));
  static const char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  char enc[6];
  for (int i = 5; i >= 0; --i) {
    enc[i] = kBase62[crc % 62];
    crc /= 62;
  }
  return std::string_view(enc, 6) == check;
}

namespace {

// Value of a base64 (standard or URL-safe) character, or -1.
int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// Decodes base64 or base64url, padding optional; false on any other
// character or an impossible length.
bool DecodeBase64Any(std::string_view in, std::string* out) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  if (in.size() % 4 == 1) return false;
  out->clear();
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = Base64Value(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return true;
}

bool JsonObjectLike(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
    s.remove_suffix(1);
  return s.size() >= 2 && s.front() == '{' && s.back() == '}';
}

}  // namespace

bool ValidBech32(std::string_view s) {
  static const char kCharset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  const size_t sep = s.rfind('1');
  if (sep == std::string_view::npos || sep == 0 || s.size() - sep - 1 < 6) return false;
  bool lower = false, upper = false;
  for (char c : s) {
    if (c < 33 || c > 126) return false;
    lower |= c >= 'a' && c <= 'z';
    upper |= c >= 'A' && c <= 'Z';
  }
  if (lower && upper) return false;
  auto low = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  uint32_t chk = 1;
  auto step = [&](uint32_t v) {
    static const uint32_t kGen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (int i = 0; i < 5; ++i)
      if ((top >> i) & 1) chk ^= kGen[i];
  };
  for (size_t i = 0; i < sep; ++i) step(static_cast<uint32_t>(low(s[i])) >> 5);
  step(0);
  for (size_t i = 0; i < sep; ++i) step(static_cast<uint32_t>(low(s[i])) & 31);
  for (size_t i = sep + 1; i < s.size(); ++i) {
    const char* p = std::strchr(kCharset, low(s[i]));
    if (!p || !*p) return false;
    step(static_cast<uint32_t>(p - kCharset));
  }
  return chk == 1;
}

bool ValidBase64UserPass(std::string_view s) {
  std::string d;
  if (!DecodeBase64Any(s, &d)) return false;
  for (char c : d)
    if (c < 0x20 || c > 0x7e) return false;
  const size_t colon = d.find(':');
  return colon != std::string::npos && colon > 0 && colon + 1 < d.size();
}

bool ValidJwtStructure(std::string_view s) {
  const size_t a = s.find('.');
  if (a == std::string_view::npos) return false;
  const size_t b = s.find('.', a + 1);
  if (b == std::string_view::npos || s.find('.', b + 1) != std::string_view::npos || b + 1 >= s.size()) return false;
  std::string header, payload, signature;
  if (!DecodeBase64Any(s.substr(0, a), &header) || !DecodeBase64Any(s.substr(a + 1, b - a - 1), &payload) ||
      !DecodeBase64Any(s.substr(b + 1), &signature))
    return false;
  return JsonObjectLike(header) && JsonObjectLike(payload) && header.find("\"alg\"") != std::string::npos;
}

Validator FindValidator(const std::string& name) {
  if (name == "github-crc32" || name == "base62-crc32") return &ValidGitHubChecksum;
  if (name == "bech32") return &ValidBech32;
  if (name == "base64-userpass") return &ValidBase64UserPass;
  if (name == "jwt") return &ValidJwtStructure;
  return nullptr;
}

}  // namespace akgate
