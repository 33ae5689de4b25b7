#include "verify/sigv4_signer.h"

#include <map>

namespace akgate::verify {

namespace {

// Trimmed, and every run of spaces inside made one space.
std::string CanonicalValue(std::string_view value) {
  std::string trimmed = Trim(value), out;
  bool space = false;
  for (char c : trimmed) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string CanonicalUri(std::string_view path) {
  if (path.empty()) return "/";
  std::string out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string_view segment = path.substr(start, slash == std::string_view::npos ? slash : slash - start);
    out += PercentEncode(segment);
    if (slash == std::string_view::npos) break;
    out += '/';
    start = slash + 1;
  }
  return out;
}

}  // namespace

SignedRequest SignSigV4(const SigningRequest& request, const SigV4Params& params, const AccessKey& key) {
  SignedRequest out;
  std::string amz_date = BasicIsoTime(params.time);
  std::string date = amz_date.substr(0, 8);
  std::string payload_hash = Sha256Hex(request.body);
  out.headers = request.headers;
  out.headers.emplace_back("Host", request.host);
  out.headers.emplace_back("X-Amz-Date", amz_date);
  if (!key.session_token.empty()) out.headers.emplace_back("X-Amz-Security-Token", key.session_token);
  if (params.content_sha256_header) out.headers.emplace_back("x-amz-content-sha256", payload_hash);

  std::map<std::string, std::string> canonical;  // sorted by lower-case name
  for (const auto& [name, value] : out.headers) {
    std::string& v = canonical[ToLower(name)];
    if (!v.empty()) v += ',';
    v += CanonicalValue(value);
  }
  std::string canonical_headers, names;
  for (const auto& [name, value] : canonical) {
    canonical_headers += name + ":" + value + "\n";
    if (!names.empty()) names += ';';
    names += name;
  }

  out.canonical_request = request.method + "\n" + CanonicalUri(request.path) + "\n" + CanonicalQuery(request.query) +
                          "\n" + canonical_headers + "\n" + names + "\n" + payload_hash;
  std::string scope = date + "/" + params.region + "/" + params.service + "/aws4_request";
  out.string_to_sign = "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + Sha256Hex(out.canonical_request);
  std::string k = HmacSha256Raw("AWS4" + key.secret, date);
  k = HmacSha256Raw(k, params.region);
  k = HmacSha256Raw(k, params.service);
  k = HmacSha256Raw(k, "aws4_request");
  out.signature = Hex(HmacSha256Raw(k, out.string_to_sign));
  out.headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + key.id + "/" + scope +
                                                ", SignedHeaders=" + names + ", Signature=" + out.signature);
  return out;
}

}  // namespace akgate::verify
