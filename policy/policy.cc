// Policy TOML -> Policy. Types, ranges and unknown keys are checked here,
// with the file and line of the offending key.
#include "policy/policy.h"

#include <filesystem>
#include <set>

#include "config/toml_reader.h"

namespace akgate {

const char* FailModeName(FailMode m) { return m == FailMode::kBlock ? "block" : "allow"; }

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
