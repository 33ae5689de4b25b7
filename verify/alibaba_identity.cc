// Alibaba Cloud STS GetCallerIdentity (RPC style, version 2015-04-01), V3
// signature. https://help.aliyun.com/en/ram/developer-reference/api-sts-2015-04-01-getcalleridentity
//
// The answer: IdentityType Account (the account's own AccessKey: a root
// key), RAMUser, or AssumedRoleUser (an STS token), with AccountId, UserId,
// Arn (acs:ram::ACCOUNT:root | user/NAME | assumed-role/ROLE/SESSION).
#include <nlohmann/json.hpp>

#include "verify/acs3_signer.h"
#include "verify/answer_shape.h"
#include "verify/identity.h"

namespace akgate::verify {

IdentityCall AlibabaIdentityCall(const AccessKey& key, const std::string& host, int64_t unix_time,
                                 const std::string& nonce) {
  IdentityCall call;
  call.request.method = "POST";
  call.request.host = host;
  call.request.path = "/";
  call.request.headers = {{"Accept", "application/json"}};
  call.signed_request = SignAcs3(call.request, Acs3Params{"GetCallerIdentity", "2015-04-01", unix_time, nonce}, key);
  return call;
}

namespace {

std::string JsonString(const nlohmann::json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// "acs:ram::123:user/alice" -> "alice"; ".../assumed-role/r/s" -> "r/s".
std::string NameFromArn(const std::string& arn) {
  for (const char* marker : {":user/", ":assumed-role/"}) {
    size_t at = arn.find(marker);
    if (at != std::string::npos) return arn.substr(at + std::char_traits<char>::length(marker));
  }
  return "";
}

}  // namespace

Identity ReadAlibabaAnswer(unsigned status, const std::string& body) {
  Identity id;
  nlohmann::json j;
  if (JsonNestingAtMost(body, 16)) j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    id.reason = status >= 500 ? "server-error" : "bad-answer";
    id.message = "HTTP " + std::to_string(status) + " with an answer that is not JSON";
    return id;
  }
  if (status == 200 && !JsonString(j, "AccountId").empty()) {
    id.liveness = Liveness::kLive;
    id.account_id = JsonString(j, "AccountId");
    id.arn = JsonString(j, "Arn");
    std::string type = JsonString(j, "IdentityType");
    if (type == "Account")
      id.principal = Principal::kRoot;
    else if (type == "RAMUser")
      id.principal = Principal::kUser;
    else if (type == "AssumedRoleUser")
      id.principal = Principal::kSession;
    if (id.principal != Principal::kRoot) id.name = NameFromArn(id.arn);
    return id;
  }
  id.reason = JsonString(j, "Code");
  id.message = JsonString(j, "Message");
  if (id.reason.empty()) {
    id.reason = status >= 500 ? "server-error" : "bad-answer";
    id.message = "HTTP " + std::to_string(status) + " without an identity or an error code";
    return id;
  }
  // The key is unknown or disabled, the secret is not its secret, or the
  // STS token is expired or not this key's. Throttling, server errors and a
  // request time the server refuses say nothing about the key.
  if (id.reason.rfind("InvalidAccessKeyId", 0) == 0 || id.reason == "SignatureDoesNotMatch" ||
      id.reason.rfind("InvalidSecurityToken", 0) == 0)
    id.liveness = Liveness::kNotLive;
  return id;
}

}  // namespace akgate::verify
