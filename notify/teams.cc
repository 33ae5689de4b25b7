// Microsoft Teams: Office 365 connectors are retired; a Workflows
// ("When a Teams webhook request is received") URL takes a message whose
// attachment is an Adaptive Card.
#include <nlohmann/json.hpp>

#include "notify/formats.h"

namespace akgate {

HttpPost TeamsPost(const NotifyTarget& t, const PushMessage& m) {
  using nlohmann::json;
  HttpPost p;
  p.url = t.url;
  json facts = json::array();
  auto fact = [&](const std::string& title, const std::string& value) {
    if (!value.empty()) facts.push_back({{"title", title}, {"value", value}});
  };
  fact("Repository", m.repository);
  fact("Pusher", m.pusher);
  for (const std::string& r : m.refs) fact("Ref", r);
  if (m.event == "bypass" || m.event == "allow") fact("Reason", m.reason.empty() ? "(none given)" : m.reason);
  fact("Error", m.error);
  json body = json::array();
  body.push_back(
      {{"type", "TextBlock"}, {"text", m.headline}, {"weight", "Bolder"}, {"size", "Medium"}, {"wrap", true}});
  body.push_back({{"type", "FactSet"}, {"facts", facts}});
  for (const MessageFinding& f : m.findings) {
    std::string line = f.redacted + " (" + f.rule + ") in " + f.path + (f.line > 0 ? ":" + std::to_string(f.line) : "");
    if (!f.commit.empty()) line += " at " + f.commit;
    body.push_back({{"type", "TextBlock"}, {"text", line}, {"wrap", true}, {"fontType", "Monospace"}});
  }
  if (m.more) body.push_back({{"type", "TextBlock"}, {"text", "and " + std::to_string(m.more) + " more"}});
  if (!m.event_id.empty())
    body.push_back({{"type", "TextBlock"}, {"text", "event " + m.event_id}, {"isSubtle", true}, {"size", "Small"}});
  json card = {{"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
               {"type", "AdaptiveCard"},
               {"version", "1.4"},
               {"body", body}};
  if (!m.console_link.empty())
    card["actions"] =
        json::array({{{"type", "Action.OpenUrl"}, {"title", "Open in the console"}, {"url", m.console_link}}});
  json message = {
      {"type", "message"},
      {"attachments", json::array({{{"contentType", "application/vnd.microsoft.card.adaptive"}, {"content", card}}})}};
  p.body = message.dump(-1, ' ', false, json::error_handler_t::replace);
  return p;
}

}  // namespace akgate
