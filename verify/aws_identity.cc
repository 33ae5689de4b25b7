// AWS STS GetCallerIdentity (Query API, version 2011-06-15), SigV4 for
// service sts in us-east-1 (the global endpoint's region).
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
//
// The answer is XML: GetCallerIdentityResult with Account, Arn, UserId; an
// Arn ending in ":root" is the account's root user, ":user/NAME" an IAM
// user, ":assumed-role/ROLE/SESSION" or ":federated-user/NAME" a temporary
// credential. Errors: ErrorResponse/Error/Code.
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "verify/answer_shape.h"
#include "verify/identity.h"
#include "verify/sigv4_signer.h"

namespace akgate::verify {

std::string AwsRegionForHost(const std::string& host) {
  // sts.REGION.amazonaws.com[.cn] (a regional endpoint, the China and
  // GovCloud partitions'); the global sts.amazonaws.com and anything else
  // (a test's 127.0.0.1) sign for us-east-1.
  if (host.empty() || host[0] == '[') return "us-east-1";  // an IPv6 literal
  std::string h = host.substr(0, host.find(':'));          // without the port
  for (const char* suffix : {".amazonaws.com", ".amazonaws.com.cn"}) {
    std::string_view sv(h), sfx(suffix);
    if (sv.size() <= sfx.size() + 4 || sv.substr(sv.size() - sfx.size()) != sfx || sv.rfind("sts.", 0) != 0) continue;
    std::string_view region = sv.substr(4, sv.size() - sfx.size() - 4);
    if (!region.empty() && region.find('.') == std::string_view::npos) return std::string(region);
  }
  return "us-east-1";
}

IdentityCall AwsIdentityCall(const AccessKey& key, const std::string& host, int64_t unix_time) {
  IdentityCall call;
  call.request.method = "POST";
  call.request.host = host;
  call.request.path = "/";
  call.request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  call.request.body = "Action=GetCallerIdentity&Version=2011-06-15";
  call.signed_request = SignSigV4(call.request, SigV4Params{AwsRegionForHost(host), "sts", unix_time, false}, key);
  return call;
}

Identity ReadAwsAnswer(unsigned status, const std::string& body) {
  namespace pt = boost::property_tree;
  Identity id;
  pt::ptree tree;
  try {
    if (!XmlTagsAtMost(body, 256)) throw std::runtime_error("too many tags");
    std::istringstream in(body);
    pt::read_xml(in, tree);
  } catch (const std::exception&) {
    id.reason = status >= 500 ? "server-error" : "bad-answer";
    id.message = "HTTP " + std::to_string(status) + " with an answer that is not XML";
    return id;
  }
  std::string account = tree.get("GetCallerIdentityResponse.GetCallerIdentityResult.Account", "");
  if (status == 200 && !account.empty()) {
    id.liveness = Liveness::kLive;
    id.account_id = account;
    id.arn = tree.get("GetCallerIdentityResponse.GetCallerIdentityResult.Arn", "");
    const std::string& arn = id.arn;
    if (arn.size() >= 5 && arn.compare(arn.size() - 5, 5, ":root") == 0) {
      id.principal = Principal::kRoot;
    } else if (size_t at = arn.find(":user/"); at != std::string::npos) {
      id.principal = Principal::kUser;
      id.name = arn.substr(at + 6);
    } else {
      for (const char* marker : {":assumed-role/", ":federated-user/"}) {
        size_t m = arn.find(marker);
        if (m == std::string::npos) continue;
        id.principal = Principal::kSession;
        id.name = arn.substr(m + std::char_traits<char>::length(marker));
      }
    }
    return id;
  }
  id.reason = tree.get("ErrorResponse.Error.Code", "");
  id.message = tree.get("ErrorResponse.Error.Message", "");
  if (id.reason.empty()) {
    id.reason = status >= 500 ? "server-error" : "bad-answer";
    id.message = "HTTP " + std::to_string(status) + " without an identity or an error code";
    return id;
  }
  // Unknown or inactive key ID, a secret that is not its secret, an expired
  // or unknown session token. Throttling and server errors are "unknown".
  if (id.reason == "InvalidClientTokenId" || id.reason == "SignatureDoesNotMatch" || id.reason == "ExpiredToken")
    id.liveness = Liveness::kNotLive;
  return id;
}

}  // namespace akgate::verify
