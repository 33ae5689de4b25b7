#include "notify/deliver.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "notify/command.h"
#include "notify/formats.h"
#include "notify/message.h"
#include "notify/smtp.h"
#include "notify/webhook.h"

namespace akgate {

Status DeliverToTarget(const NotifyTarget& t, const std::string& event_json, const std::string& delivery_id,
                       const std::string& console_url, std::chrono::steady_clock::time_point deadline) {
  auto own = std::chrono::steady_clock::now() +
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(t.timeout));
  deadline = std::min(deadline, own);
  if (t.kind == TargetKind::kCommand) {
    return RunNotifyCommand(CommandRequest{t.command, event_json, deadline});
  }
  if (t.kind == TargetKind::kEmail) {
    nlohmann::json event = nlohmann::json::parse(event_json, nullptr, false);
    if (!event.is_object()) return Status::InvalidArgument("the event is not a JSON object");
    PushMessage m = MessageFromEvent(event, console_url);
    SmtpRequest r{t.url,
                  t.ca_file,
                  t.username,
                  t.password,
                  t.from,
                  t.to,
                  EmailMessage(t.from, t.to, m.headline, MessageText(m, TextStyle::kPlain), delivery_id),
                  deadline};
    return SendMail(r);
  }
  HttpPost post;
  if (t.kind == TargetKind::kWebhook) {
    post = JsonWebhookPost(t, event_json, delivery_id);
  } else {
    nlohmann::json event = nlohmann::json::parse(event_json, nullptr, false);
    if (!event.is_object()) return Status::InvalidArgument("the event is not a JSON object");
    PushMessage m = MessageFromEvent(event, console_url);
    const int64_t now = NowMillis();
    switch (t.kind) {
      case TargetKind::kDingTalk:
        post = DingTalkPost(t, m, now);
        break;
      case TargetKind::kFeishu:
        post = FeishuPost(t, m, now);
        break;
      case TargetKind::kWeCom:
        post = WeComPost(t, m);
        break;
      case TargetKind::kSlack:
        post = SlackPost(t, m);
        break;
      default:
        post = TeamsPost(t, m);
        break;
    }
  }
  WebhookRequest r;
  r.url = post.url;
  r.body = post.body;
  r.ca_file = t.ca_file;
  r.deadline = deadline;
  r.headers = post.headers;
  std::string answer;
  Status s = PostWebhook(r, &answer);
  if (s.ok()) s = CheckAnswer(t.kind, answer);
  return s;
}

Status SendNotifyItem(const OutboxItem& item, std::chrono::steady_clock::time_point deadline) {
  nlohmann::json spec = nlohmann::json::parse(item.spec, nullptr, false);
  if (!spec.is_object() || !spec.contains("target"))
    return Status::Corrupt("outbox row " + item.id + ": its target is not readable");
  NotifyTarget t;
  AKGATE_RETURN_IF_ERROR(TargetFromJson(spec["target"], &t));
  std::string console_url = spec.value("console_url", "");
  return DeliverToTarget(t, item.payload, item.id, console_url, deadline);
}

}  // namespace akgate
