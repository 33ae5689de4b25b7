#include "verify/acs3_signer.h"

#include <algorithm>

namespace akgate::verify {

SignedRequest SignAcs3(const SigningRequest& request, const Acs3Params& params, const AccessKey& key) {
  SignedRequest out;
  std::string payload_hash = Sha256Hex(request.body);
  out.headers = request.headers;
  out.headers.emplace_back("host", request.host);
  out.headers.emplace_back("x-acs-action", params.action);
  out.headers.emplace_back("x-acs-version", params.version);
  out.headers.emplace_back("x-acs-date", IsoTime(params.time));
  out.headers.emplace_back("x-acs-signature-nonce", params.nonce);
  out.headers.emplace_back("x-acs-content-sha256", payload_hash);
  if (!key.session_token.empty()) out.headers.emplace_back("x-acs-security-token", key.session_token);

  // host, content-type and x-acs-*: lower-case names, trimmed values, sorted.
  std::vector<std::pair<std::string, std::string>> signed_headers;
  for (const auto& [name, value] : out.headers) {
    std::string lower = ToLower(name);
    if (lower == "host" || lower == "content-type" || lower.rfind("x-acs-", 0) == 0)
      signed_headers.emplace_back(lower, Trim(value));
  }
  std::sort(signed_headers.begin(), signed_headers.end());
  std::string canonical_headers, names;
  for (const auto& [name, value] : signed_headers) {
    canonical_headers += name + ":" + value + "\n";
    if (!names.empty()) names += ';';
    names += name;
  }

  out.canonical_request = request.method + "\n" + request.path + "\n" + CanonicalQuery(request.query) + "\n" +
                          canonical_headers + "\n" + names + "\n" + payload_hash;
  out.string_to_sign = "ACS3-HMAC-SHA256\n" + Sha256Hex(out.canonical_request);
  out.signature = Hex(HmacSha256Raw(key.secret, out.string_to_sign));
  out.headers.emplace_back("Authorization", "ACS3-HMAC-SHA256 Credential=" + key.id + ",SignedHeaders=" + names +
                                                ",Signature=" + out.signature);
  return out;
}

}  // namespace akgate::verify
