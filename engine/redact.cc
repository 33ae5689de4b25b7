#include "engine/redact.h"

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

bool IsLowEntropyRule(const Rule& rule) {
  for (const std::string& t : rule.tags)
    if (t == "password" || t == "low-entropy") return true;
  return false;
}

std::string RedactFor(const Rule& rule, std::string_view secret) {
  if (!IsLowEntropyRule(rule)) return Redact(secret);
  return "(" + std::to_string(secret.size()) + (secret.size() == 1 ? " character)" : " characters)");
}

}  // namespace akgate
