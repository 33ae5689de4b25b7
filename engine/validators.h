// Named built-in checks a rule can require of its secret (`validator = "..."`).
// Offline only: structure and checksums, never a network call.
#pragma once

#include <string>
#include <string_view>

namespace akgate {

using Validator = bool (*)(std::string_view secret);

// nullptr when no validator has that name.
Validator FindValidator(const std::string& name);

// Shannon entropy of the bytes of s, in bits per character.
double ShannonEntropy(std::string_view s);

// GitHub's 2021 token format: prefix_ + 30 base62 characters + 6 characters
// that are the base62 CRC32 of those 30, left-padded with '0'.
bool ValidGitHubChecksum(std::string_view token);

}  // namespace akgate
