// AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html),
// in the Authorization header:
//
//   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQueryString \n
//                      CanonicalHeaders \n SignedHeaders \n hex(SHA256(body))
//   StringToSign     = "AWS4-HMAC-SHA256" \n YYYYMMDDTHHMMSSZ \n
//                      YYYYMMDD/region/service/aws4_request \n hex(SHA256(CanonicalRequest))
//   SigningKey       = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, YYYYMMDD), region), service), "aws4_request")
//   Signature        = hex(HMAC(SigningKey, StringToSign))
//
// Every header sent is signed: names in lower case, values trimmed with
// inner runs of spaces made one, repeated names joined with ','. The path is
// taken as normalised ("/" for STS) and each segment percent-encoded once.
#pragma once

#include <cstdint>
#include <string>

#include "verify/signing.h"

namespace akgate::verify {

struct SigV4Params {
  std::string region;   // "us-east-1"
  std::string service;  // "sts"
  int64_t time = 0;     // X-Amz-Date, Unix seconds
  // Also send and sign x-amz-content-sha256 (the test suite's "sign_body").
  bool content_sha256_header = false;
};

// The request's headers plus Host, X-Amz-Date, X-Amz-Security-Token (with a
// session token; signed), x-amz-content-sha256 when asked, and Authorization.
SignedRequest SignSigV4(const SigningRequest& request, const SigV4Params& params, const AccessKey& key);

}  // namespace akgate::verify
