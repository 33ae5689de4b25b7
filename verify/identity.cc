// The provider-independent half of an identity call: the endpoint, the
// clock and nonce, the transport, and what a failure to get an answer means
// (always "unknown": only the provider's own answer says live or not live).
#include "verify/identity.h"

#include <openssl/rand.h>

#include <ctime>

#include "verify/https_client.h"

namespace akgate::verify {

std::string_view ProviderName(Provider p) {
  switch (p) {
    case Provider::kAlibaba:
      return "alibaba";
    case Provider::kAws:
      return "aws";
    case Provider::kTencent:
      return "tencent";
  }
  return "?";
}

bool ParseProvider(std::string_view name, Provider* out) {
  std::string n = ToLower(name);
  if (n == "alibaba" || n == "aliyun" || n == "alibaba-cloud")
    *out = Provider::kAlibaba;
  else if (n == "aws" || n == "amazon")
    *out = Provider::kAws;
  else if (n == "tencent" || n == "tencent-cloud" || n == "qcloud")
    *out = Provider::kTencent;
  else
    return false;
  return true;
}

std::string_view LivenessName(Liveness l) {
  switch (l) {
    case Liveness::kLive:
      return "live";
    case Liveness::kNotLive:
      return "not-live";
    case Liveness::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view PrincipalName(Principal p) {
  switch (p) {
    case Principal::kRoot:
      return "root";
    case Principal::kUser:
      return "user";
    case Principal::kSession:
      return "session";
    case Principal::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string OfficialHost(Provider p) {
  switch (p) {
    case Provider::kAlibaba:
      return "sts.aliyuncs.com";
    case Provider::kAws:
      return "sts.amazonaws.com";
    case Provider::kTencent:
      return "sts.tencentcloudapi.com";
  }
  return "";
}

namespace {

Identity Unknown(std::string reason, std::string message) {
  Identity id;
  id.reason = std::move(reason);
  id.message = std::move(message);
  return id;
}

// Printable ASCII without spaces: anything else could split a header.
bool HeaderSafe(std::string_view s, std::string_view also_forbidden = "") {
  for (char c : s)
    if (c <= 0x20 || c >= 0x7f || also_forbidden.find(c) != std::string_view::npos) return false;
  return true;
}

std::string Nonce() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // Unique is what the nonce must be; the clock and a counter give that.
    static unsigned counter = 0;
    return Hex(std::to_string(std::time(nullptr)) + "-" + std::to_string(++counter));
  }
  return Hex(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

}  // namespace

Identity VerifyAccessKey(Provider provider, const AccessKey& key, const VerifyOptions& options) {
  if (key.id.empty() || key.secret.empty())
    return Unknown("invalid-input", "the key ID and the secret are both needed");
  if (!HeaderSafe(key.id, ",/;=") || key.id.size() > 256)
    return Unknown("invalid-input", "the key ID has characters no key ID has");
  if (!HeaderSafe(key.session_token) || key.session_token.size() > 8192)
    return Unknown("invalid-input", "the session token has characters no token has");

  std::string host = OfficialHost(provider), port = "443";
  if (!options.endpoint.empty()) {
    Status s = ParseEndpoint(options.endpoint, &host, &port);
    if (!s.ok()) return Unknown("invalid-input", s.message());
  }
  std::string authority = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != "443") authority += ":" + port;

  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  int64_t now = std::time(nullptr);
  IdentityCall call;
  switch (provider) {
    case Provider::kAlibaba:
      call = AlibabaIdentityCall(key, authority, now, Nonce());
      break;
    case Provider::kAws:
      call = AwsIdentityCall(key, authority, now);
      break;
    case Provider::kTencent:
      call = TencentIdentityCall(key, authority, now);
      break;
  }

  HttpsRequest request;
  request.method = call.request.method;
  request.host = host;
  request.port = port;
  request.target = call.request.path;
  if (!call.request.query.empty()) request.target += "?" + QueryString(call.request.query);
  request.headers = call.signed_request.headers;
  request.body = call.request.body;
  request.ca_file = options.ca_file;
  request.deadline = deadline;
  HttpsResponse response;
  Status s = SendHttps(request, &response);
  if (s.code() == StatusCode::kDeadlineExceeded)
    return Unknown("timeout",
                   "no answer from " + authority + " within " + std::to_string(options.timeout.count()) + " ms");
  if (!s.ok()) return Unknown("network", s.message());
  switch (provider) {
    case Provider::kAlibaba:
      return ReadAlibabaAnswer(response.status, response.body);
    case Provider::kAws:
      return ReadAwsAnswer(response.status, response.body);
    case Provider::kTencent:
      return ReadTencentAnswer(response.status, response.body);
  }
  return Unknown("bad-answer", "unknown provider");
}

}  // namespace akgate::verify
