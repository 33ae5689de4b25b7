// Is an AccessKey pair live, and whose is it? Each provider's own read-only
// identity call, made with the pair:
//
//   Alibaba Cloud  STS GetCallerIdentity (2015-04-01), sts.aliyuncs.com, ACS3-HMAC-SHA256
//   AWS            STS GetCallerIdentity (2011-06-15), sts.amazonaws.com, SigV4 (us-east-1)
//   Tencent Cloud  STS GetCallerIdentity (2018-08-13), sts.tencentcloudapi.com, TC3-HMAC-SHA256
//
// The secret goes to its own provider's endpoint only, and only as the key of
// the signature; the request holds the key ID, the signature and, for a
// temporary credential, its session token. An endpoint override (private
// regions, tests) and an extra CA file are the only ways to send elsewhere.
//
//   verify::AccessKey key{id, secret, ""};
//   verify::Identity who = verify::VerifyAccessKey(verify::Provider::kAlibaba, key, {});
//   if (who.liveness == verify::Liveness::kLive && who.principal == verify::Principal::kRoot) ...
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "verify/signing.h"

namespace akgate::verify {

enum class Provider { kAlibaba, kAws, kTencent };
// "alibaba", "aws", "tencent".
std::string_view ProviderName(Provider p);
// Also takes "aliyun", "alibaba-cloud", "tencent-cloud", "qcloud".
bool ParseProvider(std::string_view name, Provider* out);

enum class Liveness {
  kLive,     // the provider answered who the key is
  kNotLive,  // the provider refused the key: unknown, disabled, wrong secret, expired token
  kUnknown,  // no answer that says either: timeout, throttled, network, server error
};
enum class Principal {
  kUnknown,
  kRoot,     // the account's own key: whoever holds it controls the account
  kUser,     // a RAM / IAM / CAM user's key
  kSession,  // a temporary credential (an assumed role, a federated user)
};
std::string_view LivenessName(Liveness l);    // "live", "not-live", "unknown"
std::string_view PrincipalName(Principal p);  // "root", "user", "session", "unknown"

struct Identity {
  Liveness liveness = Liveness::kUnknown;
  Principal principal = Principal::kUnknown;
  std::string account_id;
  std::string name;  // the user's name, or role/session; "" for a root key
  std::string arn;
  // Why not live or unknown: the provider's error code
  // ("InvalidAccessKeyId.NotFound"), or "timeout", "network", "bad-answer".
  std::string reason;
  std::string message;  // the provider's message or the failure, for a person; never the secret
};

struct VerifyOptions {
  std::string endpoint;                     // "https://host[:port]"; "" = the provider's official endpoint
  std::string ca_file;                      // extra CA bundle for the endpoint's certificate
  std::chrono::milliseconds timeout{5000};  // the whole call, DNS to answer
};

// Never throws, never blocks past the timeout (plus a few milliseconds).
Identity VerifyAccessKey(Provider provider, const AccessKey& key, const VerifyOptions& options);

// --- the pieces, for tests -------------------------------------------------
// Each provider's signed request for `host` ("sts.aliyuncs.com", or an
// override's "127.0.0.1:8443"), at `unix_time`, and how its answer reads.
struct IdentityCall {
  SigningRequest request;
  SignedRequest signed_request;
};
IdentityCall AlibabaIdentityCall(const AccessKey& key, const std::string& host, int64_t unix_time,
                                 const std::string& nonce);
Identity ReadAlibabaAnswer(unsigned status, const std::string& body);
IdentityCall AwsIdentityCall(const AccessKey& key, const std::string& host, int64_t unix_time);
Identity ReadAwsAnswer(unsigned status, const std::string& body);
// The region a SigV4 request to `host` is signed for: REGION of
// sts.REGION.amazonaws.com[.cn], else us-east-1 (the global endpoint).
std::string AwsRegionForHost(const std::string& host);
IdentityCall TencentIdentityCall(const AccessKey& key, const std::string& host, int64_t unix_time);
Identity ReadTencentAnswer(unsigned status, const std::string& body);

// The official endpoint's host.
std::string OfficialHost(Provider p);

}  // namespace akgate::verify
