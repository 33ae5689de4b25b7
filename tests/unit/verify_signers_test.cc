// The request signers of verify/ against the examples their providers
// publish: every input as published, the canonical request, the string to
// sign and the signature compared byte for byte.
#include <doctest/doctest.h>

#include <string>

#include "verify/acs3_signer.h"
#include "verify/signing.h"
#include "verify/sigv4_signer.h"
#include "verify/tc3_signer.h"

using namespace akgate::verify;

namespace {

std::string HeaderValue(const Headers& headers, const std::string& name) {
  for (const auto& [n, v] : headers)
    if (ToLower(n) == ToLower(name)) return v;
  return "<absent>";
}

}  // namespace

TEST_CASE("verify: percent-encoding is RFC 3986's, as the three schemes require") {
  CHECK(PercentEncode("AZaz09-_.~") == "AZaz09-_.~");
  CHECK(PercentEncode("a b*c/d+e=f&") == "a%20b%2Ac%2Fd%2Be%3Df%26");
  CHECK(PercentEncode("\xe1\x88\xb4") == "%E1%88%B4");
  CHECK(CanonicalQuery({{"b", "2"}, {"a", "x y"}, {"A", ""}}) == "A=&a=x%20y&b=2");
  CHECK(IsoTime(1698315752) == "2023-10-26T10:22:32Z");
  CHECK(BasicIsoTime(1440938160) == "20150830T123600Z");
  CHECK(IsoDate(1551113065) == "2019-02-25");  // 00:44 on the 26th in UTC+8: the UTC date counts
}

// Alibaba Cloud, "Request syntax and signature method V3", section "Signature
// examples" -> "Fixed parameter values":
// https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature
// AccessKeyID YourAccessKeyId, AccessKeySecret YourAccessKeySecret, nonce
// 3156853299f313e23d1673dc12e1703d, x-acs-date 2023-10-26T10:22:32Z, ECS
// RunInstances 2014-05-26 on ecs.cn-shanghai.aliyuncs.com, POST, query
// ImageId and RegionId, empty body.
TEST_CASE("verify: ACS3-HMAC-SHA256 reproduces Alibaba Cloud's published V3 signing example") {
  SigningRequest r;
  r.method = "POST";
  r.host = "ecs.cn-shanghai.aliyuncs.com";
  r.path = "/";
  r.query = {{"RegionId", "cn-shanghai"}, {"ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"}};
  Acs3Params p{"RunInstances", "2014-05-26", 1698315752, "3156853299f313e23d1673dc12e1703d"};
  SignedRequest s = SignAcs3(r, p, AccessKey{"YourAccessKeyId", "YourAccessKeySecret", ""});
  CHECK(s.canonical_request ==
        "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n"
        "host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n"
        "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
        "x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n"
        "x-acs-version:2014-05-26\n\n"
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n"
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(s.string_to_sign == "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
  CHECK(s.signature == "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
  CHECK(HeaderValue(s.headers, "Authorization") ==
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;"
        "x-acs-date;x-acs-signature-nonce;x-acs-version,"
        "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
  CHECK(HeaderValue(s.headers, "x-acs-security-token") == "<absent>");

  SUBCASE("a session token is sent and signed; the secret is in no header") {
    SignedRequest t = SignAcs3(r, p, AccessKey{"YourAccessKeyId", "YourAccessKeySecret", "tok"});
    CHECK(HeaderValue(t.headers, "x-acs-security-token") == "tok");
    CHECK(t.canonical_request.find("x-acs-security-token:tok\n") != std::string::npos);
    CHECK(t.signature != s.signature);
    for (const auto& [n, v] : t.headers) CHECK(v.find("YourAccessKeySecret") == std::string::npos);
  }
  SUBCASE("another secret, another signature") {
    CHECK(SignAcs3(r, p, AccessKey{"YourAccessKeyId", "YourAccessKeySecreT", ""}).signature != s.signature);
  }
}

// AWS's Signature Version 4 test suite, as AWS publishes it in its own
// repository: https://github.com/awslabs/aws-c-auth/tree/main/tests/aws-signing-test-suite/v4
// (the suite first published at https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html).
// Each case's context.json: AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY,
// us-east-1, service "service", 2015-08-30T12:36:00Z; request.txt,
// header-canonical-request.txt, header-string-to-sign.txt and
// header-signature.txt reproduced below.
namespace {

const AccessKey kAwsKey{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
const char kEmptyHash[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

SignedRequest SignSuite(const std::string& method, std::vector<std::pair<std::string, std::string>> query,
                        Headers headers = {}, std::string body = "", bool sign_body = false,
                        const AccessKey& key = kAwsKey) {
  SigningRequest r;
  r.method = method;
  r.host = "example.amazonaws.com";
  r.path = "/";
  r.query = std::move(query);
  r.headers = std::move(headers);
  r.body = std::move(body);
  return SignSigV4(r, SigV4Params{"us-east-1", "service", 1440938160, sign_body}, key);
}

std::string Creq(const std::string& method, const std::string& query, const std::string& headers,
                 const std::string& names, const std::string& hash = kEmptyHash) {
  return method + "\n/\n" + query + "\n" + headers + "\n" + names + "\n" + hash;
}

}  // namespace

TEST_CASE("verify: SigV4 reproduces AWS's Signature Version 4 test suite") {
  const std::string vanilla_headers = "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n";
  SUBCASE("get-vanilla") {
    SignedRequest s = SignSuite("GET", {});
    CHECK(s.canonical_request == Creq("GET", "", vanilla_headers, "host;x-amz-date"));
    CHECK(s.string_to_sign ==
          "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
          "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
    CHECK(HeaderValue(s.headers, "Authorization") ==
          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
          "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    CHECK(HeaderValue(s.headers, "X-Amz-Date") == "20150830T123600Z");
  }
  SUBCASE("post-vanilla") {
    SignedRequest s = SignSuite("POST", {});
    CHECK(s.string_to_sign.substr(s.string_to_sign.rfind('\n') + 1) ==
          "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87");
    CHECK(s.signature == "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
  }
  SUBCASE("get-vanilla-query-order-key-case") {
    SignedRequest s = SignSuite("GET", {{"Param2", "value2"}, {"Param1", "value1"}});
    CHECK(s.canonical_request == Creq("GET", "Param1=value1&Param2=value2", vanilla_headers, "host;x-amz-date"));
    CHECK(s.signature == "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
  }
  SUBCASE("get-vanilla-query-unreserved") {
    const std::string u = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    SignedRequest s = SignSuite("GET", {{u, u}});
    CHECK(s.canonical_request == Creq("GET", u + "=" + u, vanilla_headers, "host;x-amz-date"));
    CHECK(s.signature == "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197");
  }
  SUBCASE("get-vanilla-utf8-query") {
    SignedRequest s = SignSuite("GET", {{"\xe1\x88\xb4", "bar"}});
    CHECK(s.canonical_request == Creq("GET", "%E1%88%B4=bar", vanilla_headers, "host;x-amz-date"));
    CHECK(s.signature == "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04");
  }
  SUBCASE("get-header-value-trim: values trimmed, inner runs of spaces made one") {
    SignedRequest s = SignSuite("GET", {}, {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}});
    CHECK(s.canonical_request == Creq("GET", "",
                                      "host:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\n"
                                      "x-amz-date:20150830T123600Z\n",
                                      "host;my-header1;my-header2;x-amz-date"));
    CHECK(s.signature == "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
  }
  SUBCASE("post-header-value-case: names in lower case, values as they are") {
    SignedRequest s = SignSuite("POST", {}, {{"My-Header1", "VALUE1"}});
    CHECK(s.signature == "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d");
  }
  SUBCASE("post-x-www-form-urlencoded: the form body, its hash signed") {
    SignedRequest s =
        SignSuite("POST", {}, {{"Content-Type", "application/x-www-form-urlencoded"}, {"Content-Length", "13"}},
                  "Param1=value1", true);
    const std::string hash = "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e";
    CHECK(s.canonical_request ==
          Creq("POST", "",
               "content-length:13\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
               "x-amz-content-sha256:" +
                   hash + "\nx-amz-date:20150830T123600Z\n",
               "content-length;content-type;host;x-amz-content-sha256;x-amz-date", hash));
    CHECK(s.string_to_sign.substr(s.string_to_sign.rfind('\n') + 1) ==
          "b1edd1d03544c25390e32085d55b57acc9a3961bb59415ff86c45c3d89d16cfb");
    CHECK(s.signature == "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b");
  }
  SUBCASE("post-sts-header-before: the session token sent and signed") {
    AccessKey k = kAwsKey;
    k.session_token =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8"
        "YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q"
        "6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJab"
        "IQwj2ICCR/oLxBA==";
    SignedRequest s = SignSuite("POST", {}, {}, "", false, k);
    CHECK(s.canonical_request.find("host;x-amz-date;x-amz-security-token\n") != std::string::npos);
    CHECK(s.signature == "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead");
    CHECK(HeaderValue(s.headers, "X-Amz-Security-Token") == k.session_token);
  }
}

// Tencent Cloud API 3.0, "Signature v3", section "TC3-HMAC-SHA256 Signature
// Method" (https://www.tencentcloud.com/document/product/382/40467, the
// same text under every product's API documentation): CVM
// DescribeInstances 2017-03-12 in ap-guangzhou, X-TC-Timestamp 1551113065,
// the JSON body below, SignedHeaders content-type;host. Its step 3 names the
// SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE, whose signature is the
// published 72e494ea...; the SecretId is shown masked
// (AKID**********************0123456789EXAMPLE) and is used as shown: it is
// only copied into the Credential.
TEST_CASE("verify: TC3-HMAC-SHA256 reproduces Tencent Cloud's published Signature v3 example") {
  SigningRequest r;
  r.method = "POST";
  r.host = "cvm.tencentcloudapi.com";
  r.headers = {{"Content-Type", "application/json; charset=utf-8"}};
  r.body = R"({"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]})";
  Tc3Params p{"cvm", "DescribeInstances", "2017-03-12", "ap-guangzhou", 1551113065, false};
  const std::string id = "AKID**********************0123456789EXAMPLE";
  SignedRequest s = SignTc3(r, p, AccessKey{id, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", ""});
  CHECK(Sha256Hex(r.body) == "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
  CHECK(s.canonical_request ==
        "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n"
        "content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
  CHECK(s.string_to_sign ==
        "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
        "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
  CHECK(HeaderValue(s.headers, "Authorization") ==
        "TC3-HMAC-SHA256 Credential=" + id +
            "/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, "
            "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
  CHECK(HeaderValue(s.headers, "X-TC-Timestamp") == "1551113065");
  CHECK(HeaderValue(s.headers, "X-TC-Region") == "ap-guangzhou");

  SUBCASE("x-tc-action signed, its value in lower case; a token sent as X-TC-Token") {
    p.sign_action = true;
    SignedRequest t = SignTc3(r, p, AccessKey{id, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "tok"});
    CHECK(t.canonical_request.find("x-tc-action:describeinstances\n\ncontent-type;host;x-tc-action\n") !=
          std::string::npos);
    CHECK(HeaderValue(t.headers, "X-TC-Token") == "tok");
    CHECK(HeaderValue(t.headers, "X-TC-Action") == "DescribeInstances");
  }
}
