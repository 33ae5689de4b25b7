#include "engine/redact.h"

#include "engine/sha256.h"

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
  Sha256 sha;
  sha.Update(rule_id);
  static constexpr char kSeparator = '\0';  // between the parts: ("ab","c") != ("a","bc")
  for (std::string_view s : secrets) {
    sha.Update(std::string_view(&kSeparator, 1));
    sha.Update(s);
  }
  return sha.FinalHex(8);
}

}  // namespace akgate
