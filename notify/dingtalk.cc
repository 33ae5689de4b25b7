// https://open.dingtalk.com/document/robots/custom-robot-access
#include <nlohmann/json.hpp>

#include "notify/formats.h"
#include "notify/signing.h"

namespace akgate {

HttpPost DingTalkPost(const NotifyTarget& t, const PushMessage& m, int64_t now_ms) {
  HttpPost p;
  p.url = t.url;
  if (!t.secret.empty()) {
    p.url += p.url.find('?') == std::string::npos ? "?" : "&";
    p.url += "timestamp=" + std::to_string(now_ms) + "&sign=" + DingTalkSign(t.secret, now_ms);
  }
  nlohmann::json body = {{"msgtype", "markdown"},
                         {"markdown", {{"title", m.headline}, {"text", MessageText(m, TextStyle::kMarkdown)}}}};
  p.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return p;
}

}  // namespace akgate
