// What a notification says, whatever its format: built from the event (the
// audit record plus "event" and "event_id"), never holding a secret (the
// record has keys only redacted). Each format (dingtalk.cc, feishu.cc, ...)
// lays this out its own way.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace akgate {

struct MessageFinding {
  std::string rule, provider, path, commit, redacted, disposition, fingerprint;
  int64_t line = 0;
  std::string link;  // the console's leak page, when a console is configured
};

struct PushMessage {
  std::string event_id;
  std::string event;     // block | bypass | allow
  std::string headline;  // "Push blocked: 1 secret in /srv/git/app.git"
  std::string repository, pusher, via, time;
  std::vector<std::string> refs;  // "refs/heads/main 1a2b3c4..5d6e7f8"
  std::string reason;             // the bypass or allow reason
  std::string error;              // a push that could not be checked
  std::vector<MessageFinding> findings;
  size_t more = 0;           // findings not listed
  std::string console_link;  // the console's page for this push's first leak, or ""
};

// `console_url`: the console's base URL ("" when none); a leak's page is
// CONSOLE_URL/leaks/FINGERPRINT.
PushMessage MessageFromEvent(const nlohmann::json& event, const std::string& console_url);

// The message as lines of text: plain, or Markdown (DingTalk, WeCom, Slack's
// mrkdwn is close enough with `markdown` false and `slack` true).
enum class TextStyle { kPlain, kMarkdown, kSlack };
std::string MessageText(const PushMessage& m, TextStyle style);

}  // namespace akgate
