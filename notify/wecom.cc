// https://developer.work.weixin.qq.com/document/path/91770 (group robot)
#include <nlohmann/json.hpp>

#include "notify/formats.h"

namespace akgate {

HttpPost WeComPost(const NotifyTarget& t, const PushMessage& m) {
  HttpPost p;
  p.url = t.url;
  // WeCom's markdown has no lists or bold-in-bullets quirks worth special
  // casing; its limit is 4096 bytes, far above a message of five findings.
  nlohmann::json body = {{"msgtype", "markdown"}, {"markdown", {{"content", MessageText(m, TextStyle::kMarkdown)}}}};
  p.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return p;
}

}  // namespace akgate
