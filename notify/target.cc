#include "notify/target.h"

#include <fnmatch.h>

#include <algorithm>

namespace akgate {

namespace {

struct KindName {
  TargetKind kind;
  const char* name;
};
constexpr KindName kKinds[] = {{TargetKind::kWebhook, "webhook"},   {TargetKind::kCommand, "command"},
                               {TargetKind::kDingTalk, "dingtalk"}, {TargetKind::kFeishu, "feishu"},
                               {TargetKind::kWeCom, "wecom"},       {TargetKind::kSlack, "slack"},
                               {TargetKind::kTeams, "teams"},       {TargetKind::kEmail, "email"}};

bool Glob(const std::string& pattern, const std::string& s) { return fnmatch(pattern.c_str(), s.c_str(), 0) == 0; }

}  // namespace

const char* TargetKindName(TargetKind k) {
  for (const KindName& kn : kKinds)
    if (kn.kind == k) return kn.name;
  return "?";
}

std::optional<TargetKind> ParseTargetKind(const std::string& name) {
  for (const KindName& kn : kKinds)
    if (name == kn.name) return kn.kind;
  if (name == "lark") return TargetKind::kFeishu;
  return std::nullopt;
}

std::string TargetKindNames() {
  std::string s;
  for (const KindName& kn : kKinds) s += (s.empty() ? "" : ", ") + std::string(kn.name);
  return s + " (lark is feishu)";
}

bool TargetWants(const NotifyTarget& t, const std::string& event, const nlohmann::json& record) {
  const NotifyFilter& f = t.filter;
  if (!f.events.empty() && std::find(f.events.begin(), f.events.end(), event) == f.events.end()) return false;
  if (!f.repositories.empty()) {
    std::string repo = record.value("repo", "");
    if (std::none_of(f.repositories.begin(), f.repositories.end(), [&](const std::string& g) { return Glob(g, repo); }))
      return false;
  }
  if (!f.rules.empty()) {
    bool any = false;
    if (const auto it = record.find("findings"); it != record.end() && it->is_array())
      for (const nlohmann::json& finding : *it) {
        std::string rule = finding.value("rule", "");
        any = any || std::any_of(f.rules.begin(), f.rules.end(), [&](const std::string& g) { return Glob(g, rule); });
      }
    if (!any) return false;
  }
  return true;
}

RateLimit RateLimitOf(TargetKind kind) {
  switch (kind) {
    case TargetKind::kDingTalk:
    case TargetKind::kWeCom:
      return {20, 0};
    case TargetKind::kFeishu:
      return {100, 5};
    default:
      return {};
  }
}

nlohmann::json TargetToJson(const NotifyTarget& t) {
  return {{"name", t.name},       {"kind", TargetKindName(t.kind)}, {"url", t.url},          {"secret", t.secret},
          {"command", t.command}, {"timeout", t.timeout},           {"ca_file", t.ca_file},  {"from", t.from},
          {"to", t.to},           {"username", t.username},         {"password", t.password}};
}

Status TargetFromJson(const nlohmann::json& j, NotifyTarget* out) {
  try {
    NotifyTarget t;
    t.name = j.at("name").get<std::string>();
    std::optional<TargetKind> kind = ParseTargetKind(j.at("kind").get<std::string>());
    if (!kind) return Status::InvalidArgument("unknown notification kind " + j.at("kind").dump());
    t.kind = *kind;
    t.url = j.value("url", "");
    t.secret = j.value("secret", "");
    t.command = j.value("command", std::vector<std::string>{});
    t.timeout = j.value("timeout", 3.0);
    t.ca_file = j.value("ca_file", "");
    t.from = j.value("from", "");
    t.to = j.value("to", std::vector<std::string>{});
    t.username = j.value("username", "");
    t.password = j.value("password", "");
    *out = std::move(t);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("notification target: ") + e.what());
  }
  return Status::Ok();
}

}  // namespace akgate
