// https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
#include <nlohmann/json.hpp>

#include "notify/formats.h"
#include "notify/signing.h"

namespace akgate {

HttpPost FeishuPost(const NotifyTarget& t, const PushMessage& m, int64_t now_ms) {
  HttpPost p;
  p.url = t.url;
  nlohmann::json body = {{"msg_type", "text"}, {"content", {{"text", MessageText(m, TextStyle::kPlain)}}}};
  if (!t.secret.empty()) {
    const int64_t seconds = now_ms / 1000;
    body["timestamp"] = std::to_string(seconds);
    body["sign"] = FeishuSign(t.secret, seconds);
  }
  p.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return p;
}

}  // namespace akgate
