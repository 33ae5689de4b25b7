// Showing a secret without showing it: redaction and fingerprints.
//
// Redact keeps just enough to recognise a key (the first 4 and last 2
// characters of long values, less of short ones); Fingerprint is a stable hex
// id of (rule, secret) that allowlists and `-o akgate.allow=` use. Neither can
// be turned back into the secret.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace akgate {

std::string Redact(std::string_view secret);

// 16 hex characters: the first 64 bits of SHA-256(rule_id NUL secret NUL ...).
std::string Fingerprint(std::string_view rule_id, const std::vector<std::string_view>& secrets);

}  // namespace akgate
