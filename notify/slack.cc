// https://api.slack.com/messaging/webhooks: "text" is the notification's
// fallback, "blocks" what the channel shows.
#include <nlohmann/json.hpp>

#include "notify/formats.h"

namespace akgate {

HttpPost SlackPost(const NotifyTarget& t, const PushMessage& m) {
  using nlohmann::json;
  HttpPost p;
  p.url = t.url;
  json blocks = json::array();
  blocks.push_back({{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", MessageText(m, TextStyle::kSlack)}}}});
  if (!m.console_link.empty()) {
    json button = {{"type", "button"},
                   {"text", {{"type", "plain_text"}, {"text", "Open in the console"}}},
                   {"url", m.console_link}};
    blocks.push_back({{"type", "actions"}, {"elements", json::array({button})}});
  }
  json body = {{"text", m.headline}, {"blocks", blocks}};
  p.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return p;
}

}  // namespace akgate
