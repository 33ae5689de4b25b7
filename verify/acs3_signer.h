// Alibaba Cloud's request signature V3, ACS3-HMAC-SHA256, as "Request syntax
// and signature method V3" describes it
// (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature):
//
//   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQueryString \n
//                      CanonicalHeaders \n SignedHeaders \n hex(SHA256(body))
//   StringToSign     = "ACS3-HMAC-SHA256" \n hex(SHA256(CanonicalRequest))
//   Signature        = hex(HMAC-SHA256(AccessKeySecret, StringToSign))
//   Authorization: ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=...,Signature=...
//
// The signed headers are host, content-type and every x-acs-* header, names
// in lower case, sorted, values trimmed. An RPC-style operation (STS
// GetCallerIdentity) has the path "/" and its parameters in the query.
#pragma once

#include <cstdint>
#include <string>

#include "verify/signing.h"

namespace akgate::verify {

struct Acs3Params {
  std::string action;   // x-acs-action: "GetCallerIdentity"
  std::string version;  // x-acs-version: "2015-04-01"
  int64_t time = 0;     // x-acs-date, Unix seconds
  std::string nonce;    // x-acs-signature-nonce: unique per request
};

// The request's headers plus host, x-acs-action, x-acs-version, x-acs-date,
// x-acs-signature-nonce, x-acs-content-sha256, x-acs-security-token (with a
// session token) and Authorization.
SignedRequest SignAcs3(const SigningRequest& request, const Acs3Params& params, const AccessKey& key);

}  // namespace akgate::verify
