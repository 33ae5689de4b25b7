#include "verify/tc3_signer.h"

#include <algorithm>

namespace akgate::verify {

SignedRequest SignTc3(const SigningRequest& request, const Tc3Params& params, const AccessKey& key) {
  SignedRequest out;
  std::string timestamp = std::to_string(params.time);
  std::string date = IsoDate(params.time);
  out.headers = request.headers;
  out.headers.emplace_back("Host", request.host);
  out.headers.emplace_back("X-TC-Action", params.action);
  out.headers.emplace_back("X-TC-Timestamp", timestamp);
  out.headers.emplace_back("X-TC-Version", params.version);
  if (!params.region.empty()) out.headers.emplace_back("X-TC-Region", params.region);
  if (!key.session_token.empty()) out.headers.emplace_back("X-TC-Token", key.session_token);

  std::vector<std::pair<std::string, std::string>> signed_headers;
  for (const auto& [name, value] : out.headers) {
    std::string lower = ToLower(name);
    if (lower == "content-type" || lower == "host" || (params.sign_action && lower == "x-tc-action"))
      signed_headers.emplace_back(lower, ToLower(Trim(value)));
  }
  std::sort(signed_headers.begin(), signed_headers.end());
  std::string canonical_headers, names;
  for (const auto& [name, value] : signed_headers) {
    canonical_headers += name + ":" + value + "\n";
    if (!names.empty()) names += ';';
    names += name;
  }

  out.canonical_request = request.method + "\n" + request.path + "\n" + CanonicalQuery(request.query) + "\n" +
                          canonical_headers + "\n" + names + "\n" + Sha256Hex(request.body);
  std::string scope = date + "/" + params.service + "/tc3_request";
  out.string_to_sign = "TC3-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n" + Sha256Hex(out.canonical_request);
  std::string k = HmacSha256Raw("TC3" + key.secret, date);
  k = HmacSha256Raw(k, params.service);
  k = HmacSha256Raw(k, "tc3_request");
  out.signature = Hex(HmacSha256Raw(k, out.string_to_sign));
  out.headers.emplace_back("Authorization", "TC3-HMAC-SHA256 Credential=" + key.id + "/" + scope +
                                                ", SignedHeaders=" + names + ", Signature=" + out.signature);
  return out;
}

}  // namespace akgate::verify
