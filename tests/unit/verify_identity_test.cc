// The identity calls of verify/: how each provider's answer reads (live, not
// live, unknown; root, user, session), what is sent, bad input refused
// before any network, and the SQLite cache of answers.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "verify/https_client.h"
#include "verify/identity.h"
#include "verify/result_cache.h"

using namespace akgate::verify;

TEST_CASE("verify: Alibaba's GetCallerIdentity answers") {
  Identity root = ReadAlibabaAnswer(200, R"({"IdentityType":"Account","AccountId":"1234567890123456",
    "RequestId":"r","PrincipalId":"1234567890123456","UserId":"1234567890123456","Arn":"acs:ram::1234567890123456:root"})");
  CHECK(root.liveness == Liveness::kLive);
  CHECK(root.principal == Principal::kRoot);
  CHECK(root.account_id == "1234567890123456");
  CHECK(root.name.empty());
  Identity user = ReadAlibabaAnswer(200, R"({"IdentityType":"RAMUser","AccountId":"1","Arn":"acs:ram::1:user/alice"})");
  CHECK(user.principal == Principal::kUser);
  CHECK(user.name == "alice");
  Identity session = ReadAlibabaAnswer(
      200, R"({"IdentityType":"AssumedRoleUser","AccountId":"1","Arn":"acs:ram::1:assumed-role/deploy/s1"})");
  CHECK(session.principal == Principal::kSession);
  CHECK(session.name == "deploy/s1");

  for (const char* code : {"InvalidAccessKeyId.NotFound", "InvalidAccessKeyId.Inactive", "SignatureDoesNotMatch",
                           "InvalidSecurityToken.Expired"}) {
    Identity id = ReadAlibabaAnswer(400, std::string(R"({"Code":")") + code + R"(","Message":"m"})");
    CHECK_MESSAGE(id.liveness == Liveness::kNotLive, code);
    CHECK(id.reason == code);
  }
  for (const char* code : {"Throttling.User", "ServiceUnavailable", "InvalidTimeStamp.Expired"})
    CHECK(ReadAlibabaAnswer(400, std::string(R"({"Code":")") + code + R"("})").liveness == Liveness::kUnknown);
  CHECK(ReadAlibabaAnswer(502, "<html>bad gateway</html>").reason == "server-error");
  CHECK(ReadAlibabaAnswer(200, "[]").liveness == Liveness::kUnknown);
  CHECK(ReadAlibabaAnswer(200, R"({"AccountId":5})").liveness == Liveness::kUnknown);  // not a string
}

TEST_CASE("verify: AWS's GetCallerIdentity answers (XML)") {
  auto ok = [](const std::string& arn) {
    return ReadAwsAnswer(200,
                         "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                         "<GetCallerIdentityResult><Arn>" +
                             arn +
                             "</Arn><UserId>AIDA</UserId><Account>111122223333</Account></GetCallerIdentityResult>"
                             "</GetCallerIdentityResponse>");
  };
  Identity root = ok("arn:aws:iam::111122223333:root");
  CHECK(root.liveness == Liveness::kLive);
  CHECK(root.principal == Principal::kRoot);
  CHECK(root.account_id == "111122223333");
  Identity user = ok("arn:aws:iam::111122223333:user/ops/deploy-bot");
  CHECK(user.principal == Principal::kUser);
  CHECK(user.name == "ops/deploy-bot");
  CHECK(ok("arn:aws:sts::111122223333:assumed-role/Admin/jane").principal == Principal::kSession);
  CHECK(ok("arn:aws:sts::111122223333:federated-user/bob").name == "bob");

  auto err = [](unsigned status, const std::string& code) {
    return ReadAwsAnswer(status, "<ErrorResponse><Error><Type>Sender</Type><Code>" + code +
                                     "</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>");
  };
  CHECK(err(403, "InvalidClientTokenId").liveness == Liveness::kNotLive);
  CHECK(err(403, "SignatureDoesNotMatch").liveness == Liveness::kNotLive);
  CHECK(err(400, "ExpiredToken").liveness == Liveness::kNotLive);
  CHECK(err(400, "Throttling").liveness == Liveness::kUnknown);
  CHECK(err(400, "Throttling").reason == "Throttling");
  CHECK(ReadAwsAnswer(200, "<unclosed").reason == "bad-answer");
  CHECK(AwsRegionForHost("sts.amazonaws.com") == "us-east-1");
  CHECK(AwsRegionForHost("sts.eu-west-1.amazonaws.com") == "eu-west-1");
  CHECK(AwsRegionForHost("sts.cn-north-1.amazonaws.com.cn") == "cn-north-1");
  CHECK(AwsRegionForHost("sts.us-gov-west-1.amazonaws.com:443") == "us-gov-west-1");
  CHECK(AwsRegionForHost("127.0.0.1:8443") == "us-east-1");
  CHECK(AwsRegionForHost("sts.evil.example.com") == "us-east-1");
  CHECK(ReadAwsAnswer(503, "").reason == "server-error");
}

TEST_CASE("verify: Tencent's GetCallerIdentity answers (errors come with HTTP 200)") {
  Identity root = ReadTencentAnswer(
      200, R"({"Response":{"Arn":"qcs::cam::uin/100:uin/100","AccountId":"100","UserId":"100","Type":"CAMUser"}})");
  CHECK(root.liveness == Liveness::kLive);
  CHECK(root.principal == Principal::kRoot);
  Identity user = ReadTencentAnswer(
      200, R"({"Response":{"Arn":"qcs::cam::uin/100:uin/101","AccountId":"100","UserId":"101","Type":"CAMUser"}})");
  CHECK(user.principal == Principal::kUser);
  CHECK(user.name == "101");
  CHECK(ReadTencentAnswer(200, R"({"Response":{"Arn":"qcs::sts:100:assumed-role/4611/s","AccountId":"100",
    "UserId":"4611:s","Type":"AssumedRole"}})")
            .principal == Principal::kSession);
  auto err = [](const std::string& code) {
    return ReadTencentAnswer(200, R"({"Response":{"Error":{"Code":")" + code + R"(","Message":"m"},"RequestId":"r"}})");
  };
  CHECK(err("AuthFailure.SecretIdNotFound").liveness == Liveness::kNotLive);
  CHECK(err("AuthFailure.SignatureFailure").liveness == Liveness::kNotLive);
  CHECK(err("AuthFailure.TokenFailure").liveness == Liveness::kNotLive);
  CHECK(err("AuthFailure.SignatureExpire").liveness == Liveness::kUnknown);  // our clock, not the key
  CHECK(err("RequestLimitExceeded").liveness == Liveness::kUnknown);
  CHECK(ReadTencentAnswer(200, R"({"Response":"x"})").reason == "bad-answer");
}

TEST_CASE("verify: what an identity call sends: the ID and a signature, never the secret") {
  AccessKey key{"LTAI5tQz8Wb3nRk2JvPxYh7d", "not-a-real-secret-0123456789ab", ""};
  IdentityCall a = AlibabaIdentityCall(key, "127.0.0.1:8443", 1700000000, "n1");
  IdentityCall b = AwsIdentityCall(key, "sts.amazonaws.com", 1700000000);
  IdentityCall c = TencentIdentityCall(key, "sts.tencentcloudapi.com", 1700000000);
  for (const IdentityCall* call : {&a, &b, &c}) {
    CHECK(call->request.body.find(key.secret) == std::string::npos);
    for (const auto& [name, value] : call->signed_request.headers) CHECK(value.find(key.secret) == std::string::npos);
    CHECK(call->signed_request.canonical_request.find(key.secret) == std::string::npos);
  }
  bool host_ok = false, action_ok = false;
  for (const auto& [name, value] : a.signed_request.headers) {
    host_ok |= name == "host" && value == "127.0.0.1:8443";
    action_ok |= name == "x-acs-action" && value == "GetCallerIdentity";
  }
  CHECK(host_ok);
  CHECK(action_ok);
  CHECK(b.request.body == "Action=GetCallerIdentity&Version=2011-06-15");
  CHECK(c.request.body == "{}");
}

TEST_CASE("verify: bad input is refused before any network, as unknown with a reason") {
  VerifyOptions o;
  o.endpoint = "https://127.0.0.1:1";  // nothing is ever sent there
  CHECK(VerifyAccessKey(Provider::kAlibaba, AccessKey{"", "s", ""}, o).reason == "invalid-input");
  CHECK(VerifyAccessKey(Provider::kAlibaba, AccessKey{"LTAI\r\nX-Evil: 1", "s", ""}, o).reason == "invalid-input");
  CHECK(VerifyAccessKey(Provider::kAws, AccessKey{"AKIA/x", "s", ""}, o).reason == "invalid-input");
  CHECK(VerifyAccessKey(Provider::kAws, AccessKey{"AKIA", "s", "tok en"}, o).reason == "invalid-input");
  o.endpoint = "http://sts.aliyuncs.com";
  Identity plain = VerifyAccessKey(Provider::kAlibaba, AccessKey{"LTAI", "s", ""}, o);
  CHECK(plain.reason == "invalid-input");
  CHECK(plain.message.find("https://") != std::string::npos);
  std::string host, port;
  CHECK(ParseEndpoint("https://[::1]:8443", &host, &port).ok());
  CHECK((host == "::1" && port == "8443"));
  CHECK(!ParseEndpoint("https://sts.aliyuncs.com/path", &host, &port).ok());
  CHECK(!ParseEndpoint("https://user@sts.aliyuncs.com", &host, &port).ok());
  CHECK(!ParseEndpoint("https://h:99999x", &host, &port).ok());
}

TEST_CASE("verify: a closed port is 'unknown: network', quickly") {
  VerifyOptions o;
  o.endpoint = "https://127.0.0.1:9";  // discard: nothing listens on loopback here
  o.timeout = std::chrono::milliseconds(2000);
  auto start = std::chrono::steady_clock::now();
  Identity id = VerifyAccessKey(Provider::kTencent, AccessKey{"AKIDx", "s", ""}, o);
  CHECK(id.liveness == Liveness::kUnknown);
  CHECK((id.reason == "network" || id.reason == "timeout"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(2500));
}

TEST_CASE("verify: the answers' cache keeps live and not-live answers for their TTL") {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("akgate-verify-cache-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::string file = (dir / "sub" / "verify.sqlite").string();
  {
    std::unique_ptr<ResultCache> cache;
    REQUIRE(ResultCache::Open(file, &cache).ok());
    Identity live;
    live.liveness = Liveness::kLive;
    live.principal = Principal::kRoot;
    live.account_id = "1234567890123456";
    live.arn = "acs:ram::1234567890123456:root";
    REQUIRE(cache->Put("alibaba:aaaa:bbbb", Provider::kAlibaba, live, 1000).ok());
    Identity unknown;
    unknown.reason = "timeout";
    REQUIRE(cache->Put("alibaba:cccc:dddd", Provider::kAlibaba, unknown, 1000).ok());
    Identity got;
    int64_t at = 0;
    CHECK(cache->Get("alibaba:aaaa:bbbb", 1500, 600, &got, &at));
    CHECK(got.liveness == Liveness::kLive);
    CHECK(got.principal == Principal::kRoot);
    CHECK(got.account_id == "1234567890123456");
    CHECK(at == 1000);
    CHECK_FALSE(cache->Get("alibaba:aaaa:bbbb", 1601, 600, &got));  // past the TTL
    CHECK_FALSE(cache->Get("alibaba:cccc:dddd", 1000, 600, &got));  // unknown is not kept
    CHECK_FALSE(cache->Get("alibaba:aaaa:zzzz", 1000, 600, &got));
  }
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  {
    std::unique_ptr<ResultCache> cache;
    REQUIRE(ResultCache::Open(file, &cache).ok());  // kept across processes
    Identity got;
    CHECK(cache->Get("alibaba:aaaa:bbbb", 1001, 600, &got));
  }
  std::string junk = (dir / "junk.sqlite").string();
  std::ofstream(junk) << "this is not a database, and it is long enough to have a header of sixteen bytes\n";
  std::unique_ptr<ResultCache> cache;
  akgate::Status s = ResultCache::Open(junk, &cache);
  CHECK_FALSE(s.ok());
  CHECK(s.message().find(junk) != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("verify: a deeply nested answer is refused, not parsed (the parsers recurse per level)") {
  std::string json(200000, '['), xml;
  for (int i = 0; i < 85000; ++i) xml += "<a>";
  CHECK(ReadAlibabaAnswer(200, json).reason == "bad-answer");
  CHECK(ReadTencentAnswer(200, std::string(R"({"Response":)") + json).reason == "bad-answer");
  CHECK(ReadAwsAnswer(200, xml).reason == "bad-answer");
  // A string may hold any brackets.
  CHECK(ReadAlibabaAnswer(400, R"({"Code":"Throttling","Message":"[[[[{{{{\"[[[["})").reason == "Throttling");
}
