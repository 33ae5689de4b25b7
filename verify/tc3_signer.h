// Tencent Cloud API 3.0's signature, TC3-HMAC-SHA256, as "Signature v3"
// describes it (https://www.tencentcloud.com/document/product/382/40467; the
// same page is under every product's API documentation):
//
//   CanonicalRequest = METHOD \n "/" \n CanonicalQueryString \n
//                      CanonicalHeaders \n SignedHeaders \n hex(SHA256(body))
//   StringToSign     = "TC3-HMAC-SHA256" \n timestamp \n date/service/tc3_request \n
//                      hex(SHA256(CanonicalRequest))
//   SecretSigning    = HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request")
//   Signature        = hex(HMAC(SecretSigning, StringToSign))
//
// where date is the timestamp's UTC date. The signed headers are
// content-type and host (both required) and, when asked, x-tc-action; names
// and values in lower case, as the page says.
#pragma once

#include <cstdint>
#include <string>

#include "verify/signing.h"

namespace akgate::verify {

struct Tc3Params {
  std::string service;      // "sts": the first label of the endpoint
  std::string action;       // X-TC-Action: "GetCallerIdentity"
  std::string version;      // X-TC-Version: "2018-08-13"
  std::string region;       // X-TC-Region; "" sends none
  int64_t time = 0;         // X-TC-Timestamp, Unix seconds
  bool sign_action = true;  // x-tc-action among the signed headers
};

// The request's headers (which must hold Content-Type) plus Host, X-TC-Action,
// X-TC-Timestamp, X-TC-Version, X-TC-Region, X-TC-Token (with a session
// token) and Authorization.
SignedRequest SignTc3(const SigningRequest& request, const Tc3Params& params, const AccessKey& key);

}  // namespace akgate::verify
