#include "notify/message.h"

namespace akgate {

namespace {

constexpr size_t kListed = 5;  // findings listed in a chat message

std::string Str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string Short(const std::string& id) { return id.size() > 12 ? id.substr(0, 12) : id; }

std::string TrimSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

PushMessage MessageFromEvent(const nlohmann::json& e, const std::string& console_url) {
  PushMessage m;
  m.event_id = Str(e, "event_id");
  m.event = Str(e, "event");
  m.repository = Str(e, "repo");
  m.pusher = Str(e, "pusher");
  m.via = Str(e, "via");
  m.time = Str(e, "time");
  m.error = Str(e, "error");
  m.reason = !Str(e, "bypass_reason").empty() ? Str(e, "bypass_reason") : Str(e, "allow_reason");
  if (auto it = e.find("refs"); it != e.end() && it->is_array())
    for (const nlohmann::json& r : *it)
      m.refs.push_back(Str(r, "ref") + " " + Short(Str(r, "old")) + ".." + Short(Str(r, "new")));
  size_t total = 0;
  if (auto it = e.find("findings"); it != e.end() && it->is_array()) {
    for (const nlohmann::json& f : *it) {
      ++total;
      if (m.findings.size() >= kListed) continue;
      MessageFinding mf;
      mf.rule = Str(f, "rule");
      mf.provider = Str(f, "provider");
      mf.path = Str(f, "path");
      mf.commit = Short(Str(f, "commit"));
      mf.disposition = Str(f, "disposition");
      mf.fingerprint = Str(f, "fingerprint");
      if (auto l = f.find("line"); l != f.end() && l->is_number_integer()) mf.line = l->get<int64_t>();
      if (auto r = f.find("redacted"); r != f.end() && r->is_array())
        for (const nlohmann::json& part : *r)
          if (part.is_string()) mf.redacted += (mf.redacted.empty() ? "" : " / ") + part.get<std::string>();
      if (!console_url.empty() && !mf.fingerprint.empty())
        mf.link = TrimSlash(console_url) + "/leaks/" + mf.fingerprint;
      m.findings.push_back(std::move(mf));
    }
  }
  m.more = total - m.findings.size();
  if (!m.findings.empty()) m.console_link = m.findings.front().link;
  std::string what = m.event == "block"     ? "blocked"
                     : m.event == "bypass"  ? "bypassed"
                     : m.event == "monitor" ? "let through in monitor mode (it would have been blocked)"
                                            : "allowed";
  std::string count = total == 1 ? "1 secret" : std::to_string(total) + " secrets";
  m.headline = "akgate: push " + what + (total ? ": " + count : std::string()) + " in " +
               (m.repository.empty() ? "a repository" : m.repository);
  return m;
}

std::string MessageText(const PushMessage& m, TextStyle style) {
  const bool md = style != TextStyle::kPlain;
  const std::string b = style == TextStyle::kSlack ? "*" : md ? "**" : "";
  const std::string code = md ? "`" : "";
  const std::string bullet = md ? "- " : "  ";
  std::string t;
  if (style == TextStyle::kMarkdown) t += "### ";
  t += style == TextStyle::kSlack ? "*" + m.headline + "*" : m.headline;
  t += "\n\n";
  auto field = [&](const std::string& name, const std::string& value) {
    if (!value.empty()) t += bullet + b + name + b + ": " + value + "\n";
  };
  field("Repository", m.repository);
  field("Pusher", m.pusher);
  for (const std::string& r : m.refs) field("Ref", code + r + code);
  if (m.event == "bypass") field("Bypass reason", m.reason.empty() ? "(none given)" : m.reason);
  if (m.event == "allow") field("Allowed because", m.reason.empty() ? "(inline allow or policy)" : m.reason);
  field("Error", m.error);
  for (const MessageFinding& f : m.findings) {
    std::string line = code + f.redacted + code + " (" + f.rule + ") in " + code + f.path +
                       (f.line > 0 ? ":" + std::to_string(f.line) : "") + code;
    if (!f.commit.empty()) line += " at " + f.commit;
    if (!f.disposition.empty()) line += ", " + f.disposition;
    if (!f.link.empty()) {
      if (style == TextStyle::kMarkdown)
        line += " [console](" + f.link + ")";
      else if (style == TextStyle::kSlack)
        line += " <" + f.link + "|console>";
      else
        line += " " + f.link;
    }
    t += bullet + line + "\n";
  }
  if (m.more) t += bullet + "and " + std::to_string(m.more) + " more\n";
  if (!m.event_id.empty()) t += "\nevent " + m.event_id + "\n";
  return t;
}

}  // namespace akgate
