// A notification target: where a push event goes, in which format, and
// which events it wants. Configured in the policy ([[notify.target]], see
// docs/notifications.md); the old [notify] webhook and command are one
// target each.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/status.h"

namespace akgate {

enum class TargetKind { kWebhook, kCommand, kDingTalk, kFeishu, kWeCom, kSlack, kTeams, kEmail };

const char* TargetKindName(TargetKind k);  // "webhook", "command", "dingtalk", ...
std::optional<TargetKind> ParseTargetKind(const std::string& name);
// The kind names, for messages: "webhook, command, dingtalk, ...".
std::string TargetKindNames();

// Which events a target wants; an empty list lets everything through.
struct NotifyFilter {
  std::vector<std::string> events;        // "block", "bypass", "monitor", "allow"
  std::vector<std::string> rules;         // rule ids or globs ("alibaba-*"): any finding's rule
  std::vector<std::string> repositories;  // globs on the repository ("/srv/git/payments/*")
};

struct NotifyTarget {
  std::string name;  // unique in the policy; part of each delivery's id
  TargetKind kind = TargetKind::kWebhook;
  std::string url;                   // the HTTP kinds
  std::string secret;                // dingtalk, feishu: the robot's signing secret ("": unsigned)
  std::vector<std::string> command;  // kind command: argv
  double timeout = 3;                // seconds per attempt
  std::string ca_file;               // extra CA bundle for https (and the SMTP server's STARTTLS)
  NotifyFilter filter;
  // kind email: url is smtp://host[:port]
  std::string from;
  std::vector<std::string> to;
  std::string username, password;  // AUTH PLAIN, when username is set
};

// Does `target` want this event? `event` is "block", "bypass", "monitor" or "allow";
// `record` the audit record (its findings' rules, its repository).
bool TargetWants(const NotifyTarget& target, const std::string& event, const nlohmann::json& record);

// The chat robots' documented send limits (per robot): DingTalk and WeCom
// 20 a minute, Feishu 100 a minute and 5 a second; none for the others.
struct RateLimit {
  int per_minute = 0;
  int per_second = 0;
};
RateLimit RateLimitOf(TargetKind kind);

// The target as stored with each outbox row, and back.
nlohmann::json TargetToJson(const NotifyTarget& t);
Status TargetFromJson(const nlohmann::json& j, NotifyTarget* out);

}  // namespace akgate
