#include "engine/validators.h"

#include <zlib.h>

#include <cmath>

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

Validator FindValidator(const std::string& name) {
  if (name == "github-crc32") return &ValidGitHubChecksum;
  return nullptr;
}

}  // namespace akgate
