// Tencent Cloud STS GetCallerIdentity (API 3.0, version 2018-08-13), TC3
// signature over a JSON POST. https://www.tencentcloud.com/document/api/1150/49453
//
// The answer: {"Response": {AccountId, UserId, PrincipalId, Arn, Type,
// RequestId}} or {"Response": {"Error": {Code, Message}, RequestId}}. A
// caller whose UserId is its AccountId is the account itself (the root
// key); an Arn of qcs::sts:... (assumed-role/, federated-user/) a temporary
// credential; otherwise a CAM user.
#include <nlohmann/json.hpp>

#include "verify/answer_shape.h"
#include "verify/identity.h"
#include "verify/tc3_signer.h"

namespace akgate::verify {

IdentityCall TencentIdentityCall(const AccessKey& key, const std::string& host, int64_t unix_time) {
  IdentityCall call;
  call.request.method = "POST";
  call.request.host = host;
  call.request.path = "/";
  call.request.headers = {{"Content-Type", "application/json; charset=utf-8"}};
  call.request.body = "{}";
  // Region is a required common parameter of this call; any region answers.
  call.signed_request =
      SignTc3(call.request, Tc3Params{"sts", "GetCallerIdentity", "2018-08-13", "ap-guangzhou", unix_time, true}, key);
  return call;
}

namespace {

std::string JsonString(const nlohmann::json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_unsigned()) return std::to_string(it->get<uint64_t>());
  return "";
}

}  // namespace

Identity ReadTencentAnswer(unsigned status, const std::string& body) {
  Identity id;
  nlohmann::json j;
  if (JsonNestingAtMost(body, 16)) j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("Response") || !j["Response"].is_object()) {
    id.reason = status >= 500 ? "server-error" : "bad-answer";
    id.message = "HTTP " + std::to_string(status) + " without a JSON Response object";
    return id;
  }
  const nlohmann::json& r = j["Response"];
  if (r.contains("Error") && r["Error"].is_object()) {
    id.reason = JsonString(r["Error"], "Code");
    id.message = JsonString(r["Error"], "Message");
    if (id.reason.empty()) id.reason = "bad-answer";
    // The SecretId does not exist or is not an API key, the signature (the
    // SecretKey) is wrong, the temporary credential's token is bad. An
    // expired signature (AuthFailure.SignatureExpire) is this clock's fault.
    if (id.reason == "AuthFailure.SecretIdNotFound" || id.reason == "AuthFailure.SignatureFailure" ||
        id.reason == "AuthFailure.TokenFailure" || id.reason == "AuthFailure.InvalidSecretId")
      id.liveness = Liveness::kNotLive;
    return id;
  }
  if (status != 200 || JsonString(r, "AccountId").empty()) {
    id.reason = status >= 500 ? "server-error" : "bad-answer";
    id.message = "HTTP " + std::to_string(status) + " without an identity or an error code";
    return id;
  }
  id.liveness = Liveness::kLive;
  id.account_id = JsonString(r, "AccountId");
  id.arn = JsonString(r, "Arn");
  std::string user = JsonString(r, "UserId");
  bool temporary = id.arn.rfind("qcs::sts:", 0) == 0 || id.arn.find(":assumed-role/") != std::string::npos ||
                   id.arn.find(":federated-user/") != std::string::npos;
  if (temporary) {
    id.principal = Principal::kSession;
    id.name = user;
  } else if (user == id.account_id) {
    id.principal = Principal::kRoot;
  } else {
    id.principal = Principal::kUser;
    id.name = user;
  }
  return id;
}

}  // namespace akgate::verify
