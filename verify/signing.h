// What the request signers (acs3_signer.h, sigv4_signer.h, tc3_signer.h)
// share: the request they sign, the key they sign it with, and the pieces
// each scheme builds its canonical request from.
//
// Signing is pure: the same request, time, nonce and key give the same
// headers, so each scheme is tested against its provider's published worked
// example (tests/unit/verify_signers_test.cc). The secret is used as the
// HMAC key and nowhere else: no signed request, canonical request or error
// message holds it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace akgate::verify {

using Headers = std::vector<std::pair<std::string, std::string>>;

// An AccessKey pair, and the session token of a temporary (STS) credential.
struct AccessKey {
  std::string id;
  std::string secret;
  std::string session_token;  // "" for a long-term key
};

// The request to sign, before the scheme adds its own headers.
struct SigningRequest {
  std::string method = "POST";
  std::string host;  // as sent in Host: "sts.aliyuncs.com", or "127.0.0.1:8443"
  std::string path = "/";
  // Decoded names and values, in any order; the signer encodes and sorts.
  std::vector<std::pair<std::string, std::string>> query;
  Headers headers;  // further headers to sign and send (Content-Type, ...)
  std::string body;
};

// What a signer returns: every header to send (the request's own, the
// scheme's, and Authorization), and its intermediate steps, which the
// providers' worked examples publish too.
struct SignedRequest {
  Headers headers;
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // lower-case hex
};

// RFC 3986 percent-encoding: A-Z a-z 0-9 - _ . ~ as they are, every other
// byte %XX (upper-case hex). Space is %20, '*' is %2A, as all three schemes
// require.
std::string PercentEncode(std::string_view s);

// name=value pairs, both encoded, sorted by encoded name then value, joined
// with '&' ("" for none).
std::string CanonicalQuery(const std::vector<std::pair<std::string, std::string>>& query);

// The query string to send: the same encoding and order as CanonicalQuery.
inline std::string QueryString(const std::vector<std::pair<std::string, std::string>>& query) {
  return CanonicalQuery(query);
}

std::string Sha256Hex(std::string_view bytes);
// HMAC-SHA256 with a key of any length (OpenSSL's HMAC()): 32 raw bytes.
std::string HmacSha256Raw(std::string_view key, std::string_view message);
std::string Hex(std::string_view bytes);

std::string ToLower(std::string_view s);
// Leading and trailing spaces and tabs removed.
std::string Trim(std::string_view s);

// Unix seconds as UTC: "2023-10-26T10:22:32Z", "20150830T123600Z", "2019-02-25".
std::string IsoTime(int64_t unix_seconds);
std::string BasicIsoTime(int64_t unix_seconds);
std::string IsoDate(int64_t unix_seconds);

}  // namespace akgate::verify
