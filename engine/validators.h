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
// that are the base62 CRC32 of those 30, left-padded with '0'. npm's tokens
// (npm_) use the same scheme. Validators "github-crc32" and "base62-crc32".
bool ValidGitHubChecksum(std::string_view token);

// Bech32 (BIP 173): HRP "1" data, the last 6 data characters a BCH checksum
// over the HRP and the data; one case throughout. age's secret keys
// (AGE-SECRET-KEY-1...) are Bech32. Validator "bech32".
bool ValidBech32(std::string_view s);

// Base64 (padding optional) of "user:password": printable ASCII, a non-empty
// user before the first ':' and a non-empty password after it. The `auth`
// of a Docker config.json, npm's `_auth`, HTTP Basic. Validator
// "base64-userpass".
bool ValidBase64UserPass(std::string_view s);

// A JSON Web Token's structure: three base64url parts, the first two JSON
// objects, the header naming its "alg". Not its signature (that needs the
// key). Validator "jwt".
bool ValidJwtStructure(std::string_view s);

}  // namespace akgate
