// Policy TOML -> Policy. Types, ranges and unknown keys are checked here,
// with the file and line of the offending key.
#include "policy/policy.h"

#include <cctype>
#include <filesystem>
#include <set>

#include "config/toml_reader.h"

namespace akgate {

const char* FailModeName(FailMode m) { return m == FailMode::kBlock ? "block" : "allow"; }

std::vector<NotifyTarget> NotifyTargetsOf(const Policy& p) {
  std::vector<NotifyTarget> all;
  if (!p.webhook_url.empty()) {
    NotifyTarget t;
    t.name = "webhook";
    t.kind = TargetKind::kWebhook;
    t.url = p.webhook_url;
    t.timeout = p.webhook_timeout;
    t.ca_file = p.webhook_ca_file;
    all.push_back(t);
  }
  if (!p.notify_command.empty()) {
    NotifyTarget t;
    t.name = "command";
    t.kind = TargetKind::kCommand;
    t.command = p.notify_command;
    t.timeout = p.command_timeout;
    all.push_back(t);
  }
  all.insert(all.end(), p.notify_targets.begin(), p.notify_targets.end());
  return all;
}

bool PusherListed(const std::vector<std::string>& who, const std::string& pusher) {
  for (const std::string& w : who)
    if (w == "*" || (!pusher.empty() && w == pusher)) return true;
  return false;
}

namespace {

namespace fs = std::filesystem;

// "block" | "allow" for on_error and on_timeout.
void ReadMode(TomlReader& r, const char* key, FailMode* out) {
  std::string s;
  if (r.OneOf(key, {"block", "allow"}, &s)) *out = s == "block" ? FailMode::kBlock : FailMode::kAllow;
}

bool IsFingerprint(const std::string& s) {
  if (s.size() != 16) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

void ReadRules(TomlReader& top, const std::string& base_dir, Policy* out) {
  const toml::table* t = top.Table("rules");
  if (!t) return;
  TomlReader r = top.Child(*t, "rules");
  std::vector<std::string> files;
  if (r.StrList("files", &files, true)) {
    out->rule_files.clear();
    for (const std::string& f : files) {
      fs::path p(f);
      out->rule_files.push_back(p.is_absolute() || base_dir.empty() ? f : (fs::path(base_dir) / p).string());
    }
  }
  if (const toml::table* a = r.Table("actions")) {
    for (const auto& [k, v] : *a) {
      std::string id(k.str());
      auto s = v.value<std::string>();
      std::optional<Action> action = s ? ParseAction(*s) : std::nullopt;
      if (!action) {
        r.Fail(&v, "actions." + id, "must be \"block\", \"warn\" or \"off\"");
        continue;
      }
      out->rule_actions[id] = *action;
    }
  }
  r.FailUnknown();
  top.SetError(r.status());
}

void ReadAllowlist(TomlReader& top, Policy* out) {
  const toml::table* t = top.Table("allowlist");
  if (!t) return;
  TomlReader r = top.Child(*t, "allowlist");
  std::vector<std::string> v;
  if (r.StrList("paths", &v)) out->allow_paths.insert(out->allow_paths.end(), v.begin(), v.end());
  if (r.StrList("fingerprints", &v)) {
    for (std::string fp : v) {
      for (char& c : fp) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (!IsFingerprint(fp)) {
        r.Fail(nullptr, "fingerprints",
               "must hold fingerprints of 16 hex digits (as akgate prints them), not \"" + fp + "\"");
        break;
      }
      out->allow_fingerprints.push_back(fp);
    }
  }
  if (const toml::node* n = r.Get("inline")) {
    // "allow" | "block"; true / false are read as "allow" / "block".
    auto b = n->value<bool>();
    auto s = n->value<std::string>();
    if (b)
      out->inline_allow = *b;
    else if (s && (*s == "allow" || *s == "block"))
      out->inline_allow = *s == "allow";
    else
      r.Fail(n, "inline", "must be \"allow\" or \"block\"");
  }
  r.FailUnknown();
  top.SetError(r.status());
}

void ReadGate(TomlReader& top, Policy* out) {
  const toml::table* t = top.Table("gate");
  if (!t) return;
  TomlReader r = top.Child(*t, "gate");
  std::string mode;
  if (r.Str("mode", &mode)) {
    if (mode == "enforce" || mode == "monitor")
      out->monitor = mode == "monitor";
    else
      r.Fail(nullptr, "mode", "must be \"enforce\" or \"monitor\", not \"" + mode + "\"");
  }
  r.FailUnknown();
  top.SetError(r.status());
}

void ReadLimits(TomlReader& top, Policy* out) {
  const toml::table* t = top.Table("limits");
  if (!t) return;
  TomlReader r = top.Child(*t, "limits");
  ReadMode(r, "on_error", &out->on_error);
  ReadMode(r, "on_timeout", &out->on_timeout);
  r.Bytes("max_file_size", &out->max_file_bytes);
  r.Seconds("time_budget", 0.1, 86400, &out->time_budget);
  std::string unscannable;
  if (r.Str("unscannable", &unscannable)) {
    if (unscannable == "block")
      out->unscannable = Action::kBlock;
    else if (unscannable == "warn")
      out->unscannable = Action::kWarn;
    else
      r.Fail(nullptr, "unscannable", "must be \"block\" or \"warn\", not \"" + unscannable + "\"");
  }
  r.FailUnknown();
  top.SetError(r.status());
}

void ReadLfs(TomlReader& top, Policy* out) {
  const toml::table* t = top.Table("lfs");
  if (!t) return;
  TomlReader r = top.Child(*t, "lfs");
  std::string missing;
  if (r.Str("missing", &missing)) {
    if (missing == "block" || missing == "warn")
      out->lfs_missing_blocks = missing == "block";
    else
      r.Fail(nullptr, "missing", "must be \"block\" or \"warn\", not \"" + missing + "\"");
  }
  std::vector<std::string> dirs;
  if (r.StrList("gitlab_storage", &dirs, true)) {
    for (const std::string& d : dirs)
      if (!fs::path(d).is_absolute()) r.Fail(nullptr, "gitlab_storage", "must be absolute paths, not \"" + d + "\"");
    out->lfs_gitlab_storage = dirs;
  }
  r.FailUnknown();
  top.SetError(r.status());
}

void ReadReport(TomlReader& top, Policy* out) {
  const toml::table* t = top.Table("report");
  if (!t) return;
  TomlReader r = top.Child(*t, "report");
  r.IntAs("max_findings", 1, 1000, &out->max_findings);
  r.Bool("show_pre_existing", &out->show_pre_existing);
  std::string language;
  if (r.Str("language", &language)) {
    if (std::optional<Language> l = ParseLanguage(language))
      out->language = *l;
    else
      r.Fail(nullptr, "language", "must be \"en\" or \"zh-CN\", not \"" + language + "\"");
  }
  r.FailUnknown();
  top.SetError(r.status());
}

void ReadBypass(TomlReader& top, Policy* out) {
  const toml::table* t = top.Table("bypass");
  if (!t) return;
  TomlReader r = top.Child(*t, "bypass");
  r.StrList("who", &out->bypass_who);
  r.Bool("require_reason", &out->bypass_require_reason);
  r.StrList("allow_who", &out->allow_who);
  r.Bool("allow_require_reason", &out->allow_require_reason);
  r.FailUnknown();
  top.SetError(r.status());
}

void ReadAudit(TomlReader& top, Policy* out) {
  const toml::table* t = top.Table("audit");
  if (!t) return;
  TomlReader r = top.Child(*t, "audit");
  r.Str("log", &out->audit_log);
  r.FailUnknown();
  top.SetError(r.status());
}

bool IsTargetName(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

// One [[notify.target]]. Errors go to `parent` (the [notify] reader), with
// the target's own WHERE ("notify.target[1]").
bool ReadTarget(TomlReader r, NotifyTarget* t, TomlReader* parent) {
  if (!r.Str("name", &t->name))
    r.Fail(nullptr, "name", "is required (letters, digits, - and _)");
  else if (!IsTargetName(t->name))
    r.Fail(nullptr, "name", "must be letters, digits, - and _ (at most 64), not \"" + t->name + "\"");
  std::string kind;
  if (!r.Str("kind", &kind)) {
    r.Fail(nullptr, "kind", "is required: one of " + TargetKindNames());
  } else if (std::optional<TargetKind> k = ParseTargetKind(kind)) {
    t->kind = *k;
  } else {
    r.Fail(nullptr, "kind", "must be one of " + TargetKindNames() + ", not \"" + kind + "\"");
  }
  const bool command = t->kind == TargetKind::kCommand;
  const bool email = t->kind == TargetKind::kEmail;
  if (r.Str("url", &t->url)) {
    if (command)
      r.Fail(nullptr, "url", "is not for kind \"command\" (give command = [...])");
    else if (email && t->url.rfind("smtp://", 0) != 0)
      r.Fail(nullptr, "url",
             "must be smtp://host[:port] for kind \"email\" (STARTTLS is always used), not \"" + t->url + "\"");
    else if (!email && t->url.rfind("http://", 0) != 0 && t->url.rfind("https://", 0) != 0)
      r.Fail(nullptr, "url", "must be an http:// or https:// URL, not \"" + t->url + "\"");
  } else if (!command && !kind.empty()) {
    r.Fail(nullptr, "url", "is required for kind \"" + kind + "\"");
  }
  if (r.Str("secret", &t->secret) && t->kind != TargetKind::kDingTalk && t->kind != TargetKind::kFeishu)
    r.Fail(nullptr, "secret", "is only for kinds dingtalk and feishu (their signed requests)");
  if (const toml::node* n = r.Get("command")) {
    if (!command)
      r.Fail(n, "command", "is only for kind \"command\"");
    else if (auto s = n->value<std::string>())
      t->command = {"/bin/sh", "-c", *s};
    else if (!r.StrList("command", &t->command))
      r.Fail(n, "command", "must be a string or an array of strings");
    if (command && t->command.empty()) r.Fail(n, "command", "must not be empty");
  } else if (command) {
    r.Fail(nullptr, "command", "is required for kind \"command\"");
  }
  for (const char* key : {"from", "username", "password"}) {
    std::string v;
    if (!r.Str(key, &v)) continue;
    if (!email) r.Fail(nullptr, key, "is only for kind \"email\"");
    (std::string(key) == "from" ? t->from : std::string(key) == "username" ? t->username : t->password) = v;
  }
  if (r.StrList("to", &t->to, true) && !email) r.Fail(nullptr, "to", "is only for kind \"email\"");
  if (email && t->from.empty()) r.Fail(nullptr, "from", "is required for kind \"email\"");
  if (email && t->to.empty()) r.Fail(nullptr, "to", "is required for kind \"email\" (one address or a list)");
  t->timeout = command ? 5 : email ? 10 : 3;
  r.Seconds("timeout", 0.1, 600, &t->timeout);
  r.Str("ca_file", &t->ca_file);
  if (r.StrList("events", &t->filter.events, true)) {
    for (std::string& e : t->filter.events) {
      if (e == "blocked") e = "block";
      if (e == "bypassed") e = "bypass";
      if (e == "allowed") e = "allow";
      if (e == "monitored") e = "monitor";
      if (e != "block" && e != "bypass" && e != "allow" && e != "monitor")
        r.Fail(nullptr, "events", "must list \"block\", \"bypass\", \"monitor\" or \"allow\", not \"" + e + "\"");
    }
  }
  r.StrList("rules", &t->filter.rules, true);
  r.StrList("repositories", &t->filter.repositories, true);
  r.FailUnknown();
  parent->SetError(r.status());
  return r.status().ok();
}

void ReadNotify(TomlReader& top, Policy* out) {
  const toml::table* t = top.Table("notify");
  if (!t) return;
  TomlReader r = top.Child(*t, "notify");
  std::string url;
  if (r.Str("webhook", &url)) {
    if (!url.empty() && url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
      r.Fail(nullptr, "webhook", "must be an http:// or https:// URL, not \"" + url + "\"");
    out->webhook_url = url;
  }
  r.Seconds("webhook_timeout", 0.1, 60, &out->webhook_timeout);
  r.Str("webhook_ca_file", &out->webhook_ca_file);
  if (const toml::node* n = t->get("command"); n && n->is_string()) {
    // A single string runs through /bin/sh -c.
    std::string cmd;
    r.Str("command", &cmd);
    out->notify_command = cmd.empty() ? std::vector<std::string>{} : std::vector<std::string>{"/bin/sh", "-c", cmd};
  } else {
    r.StrList("command", &out->notify_command);
  }
  r.Seconds("command_timeout", 0.1, 600, &out->command_timeout);
  std::string console;
  if (r.Str("console_url", &console)) {
    if (!console.empty() && console.rfind("http://", 0) != 0 && console.rfind("https://", 0) != 0)
      r.Fail(nullptr, "console_url", "must be an http:// or https:// URL, not \"" + console + "\"");
    out->console_url = console;
  }
  std::vector<NotifyTarget> targets;
  bool listed = false;
  r.Tables("target", false, [&](const toml::table& tt, const std::string& where) {
    listed = true;
    NotifyTarget target;
    if (ReadTarget(r.Child(tt, where), &target, &r)) targets.push_back(std::move(target));
  });
  if (listed) {
    std::set<std::string> names;
    if (!out->webhook_url.empty()) names.insert("webhook");
    if (!out->notify_command.empty()) names.insert("command");
    for (const NotifyTarget& target : targets)
      if (!names.insert(target.name).second)
        r.Fail(nullptr, "target",
               "names must be unique (\"webhook\" and \"command\" are the [notify] webhook and "
               "command): \"" +
                   target.name + "\" is used twice");
    out->notify_targets = std::move(targets);
  }
  r.FailUnknown();
  top.SetError(r.status());
}

void ReadOutbox(TomlReader& top, Policy* out) {
  const toml::table* t = top.Table("outbox");
  if (!t) return;
  TomlReader r = top.Child(*t, "outbox");
  std::string file;
  if (r.Str("file", &file)) {
    if (!file.empty() && !fs::path(file).is_absolute())
      r.Fail(nullptr, "file", "must be an absolute path, not \"" + file + "\"");
    out->outbox_file = file;
  }
  r.IntAs("max_attempts", 1, 1000, &out->outbox_max_attempts);
  r.Seconds("max_age", 1, 90 * 86400, &out->outbox_max_age);
  r.Seconds("retry_base", 0.01, 3600, &out->outbox_retry_base);
  r.Seconds("follow", 0, 86400, &out->outbox_follow);
  r.FailUnknown();
  top.SetError(r.status());
}

}  // namespace

Status ParsePolicy(std::string_view text, const std::string& origin, const std::string& base_dir, Policy* out) {
  const std::string label = "policy " + origin;
  toml::table doc;
  AKGATE_RETURN_IF_ERROR(TomlReader::Parse(text, label, &doc));
  // Read into a copy: a file with an error changes nothing.
  Policy next = *out;
  TomlReader top(doc, label);
  ReadGate(top, &next);
  ReadLimits(top, &next);
  ReadRules(top, base_dir, &next);
  ReadAllowlist(top, &next);
  ReadReport(top, &next);
  ReadLfs(top, &next);
  ReadBypass(top, &next);
  ReadAudit(top, &next);
  ReadNotify(top, &next);
  ReadOutbox(top, &next);
  top.FailUnknown();
  if (!top.status().ok()) return top.status();
  next.sources.push_back(origin);
  *out = std::move(next);
  return Status::Ok();
}

namespace {

Status LoadOne(const std::string& path, bool required, Policy* out) {
  std::string text;
  Status s = ReadConfigFile(path, "policy " + path, &text);
  // A policy file that is not there is no policy, unless it must be there.
  if (s.code() == StatusCode::kNotFound && !required) return Status::Ok();
  AKGATE_RETURN_IF_ERROR(s);
  return ParsePolicy(text, path, fs::path(path).parent_path().string(), out);
}

}  // namespace

Status LoadPolicy(const PolicyFiles& files, Policy* out) {
  if (out->fingerprint_key_file.empty()) {
    fs::path dir = fs::path(files.server.empty() ? PolicyFiles().server : files.server).parent_path();
    out->fingerprint_key_file = (dir.empty() ? fs::path("fingerprint.key") : dir / "fingerprint.key").string();
  }
  Status s;
  if (!files.server.empty()) s = LoadOne(files.server, files.server_required, out);
  if (s.ok() && !files.repository.empty()) s = LoadOne(files.repository, files.repository_required, out);
  if (!s.ok()) out->unreadable = s.message();
  return s;
}

}  // namespace akgate
