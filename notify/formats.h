// The message formats, one file each: what to POST for a target of each HTTP
// kind, and how to tell whether the receiver took it (the chat robots answer
// HTTP 200 with an error code in the body when they refuse a message).
//
//   dingtalk.cc  DingTalk custom robot: markdown; signed when a secret is set
//   feishu.cc    Feishu / Lark custom bot: text; signed when a secret is set
//   wecom.cc     WeCom (企业微信) group robot: markdown
//   slack.cc     Slack incoming webhook: blocks, with text as the fallback
//   teams.cc     Microsoft Teams Workflows webhook: an Adaptive Card
//   json_webhook.cc  the generic webhook: the event as JSON, Idempotency-Key
// (email is not HTTP: smtp.h.)
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/status.h"
#include "notify/message.h"
#include "notify/target.h"

namespace akgate {

struct HttpPost {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type: application/json
  std::string body;
};

// `now_ms`: the time the request is signed at (Unix milliseconds).
HttpPost DingTalkPost(const NotifyTarget& t, const PushMessage& m, int64_t now_ms);
HttpPost FeishuPost(const NotifyTarget& t, const PushMessage& m, int64_t now_ms);
HttpPost WeComPost(const NotifyTarget& t, const PushMessage& m);
HttpPost SlackPost(const NotifyTarget& t, const PushMessage& m);
HttpPost TeamsPost(const NotifyTarget& t, const PushMessage& m);
// `event_json`: the event as is; `delivery_id`: the Idempotency-Key.
HttpPost JsonWebhookPost(const NotifyTarget& t, const std::string& event_json, const std::string& delivery_id);

// Ok when a 2xx answer's body says the robot took the message: DingTalk and
// WeCom {"errcode":0}, Feishu {"code":0} (or the old {"StatusCode":0});
// other kinds: any 2xx is Ok.
Status CheckAnswer(TargetKind kind, const std::string& body);

}  // namespace akgate
