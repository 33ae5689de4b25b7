// Policy TOML -> Policy. Types, ranges and unknown keys are checked here,
// with the file and line of the offending key.
#include "policy/policy.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <regex>
#include <set>
#include <sstream>

#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

namespace akgate {

const char* FailModeName(FailMode m) { return m == FailMode::kBlock ? "block" : "allow"; }

bool PusherListed(const std::vector<std::string>& who, const std::string& pusher) {
  for (const std::string& w : who)
    if (w == "*" || (!pusher.empty() && w == pusher)) return true;
  return false;
}

namespace {

namespace fs = std::filesystem;

// Reads one table's keys with their line numbers; anything not read is an
// unknown key, reported by Finish.
class Reader {
 public:
  Reader(const toml::table& t, std::string origin, std::string table)
      : t_(t), origin_(std::move(origin)), table_(std::move(table)) {}

  Status status() const { return status_; }

  const toml::node* Get(const char* key) {
    seen_.insert(key);
    return t_.get(key);
  }
  bool Str(const char* key, std::string* out) {
    const toml::node* n = Get(key);
    if (!n) return false;
    if (auto v = n->value<std::string>()) {
      *out = *v;
      return true;
    }
    Fail(*n, key, "must be a string");
    return false;
  }
  void Bool(const char* key, bool* out) {
    const toml::node* n = Get(key);
    if (!n) return;
    if (auto v = n->value<bool>()) *out = *v;
    else Fail(*n, key, "must be true or false");
  }
  void Seconds(const char* key, double min, double max, double* out) {
    const toml::node* n = Get(key);
    if (!n) return;
    auto v = n->value<double>();
    if (!v || !std::isfinite(*v) || *v < min || *v > max) {
      std::ostringstream m;
      m << "must be a number of seconds from " << min << " to " << max;
      Fail(*n, key, m.str());
      return;
    }
    *out = *v;
  }
  void Count(const char* key, int64_t min, int64_t max, size_t* out) {
    const toml::node* n = Get(key);
    if (!n) return;
    auto v = n->value<int64_t>();
    if (!v || *v < min || *v > max) {
      Fail(*n, key, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
      return;
    }
    *out = static_cast<size_t>(*v);
  }
  // Bytes: a whole number, or a string such as "10 MiB" / "512K".
  void Bytes(const char* key, uint64_t* out) {
    const toml::node* n = Get(key);
    if (!n) return;
    if (auto v = n->value<int64_t>(); v && *v >= 0) {
      *out = static_cast<uint64_t>(*v);
      return;
    }
    static const std::regex re(R"(\s*([0-9]+)\s*([kKmMgG]?)(i?[bB])?\s*)");
    std::smatch m;
    if (auto s = n->value<std::string>(); s && std::regex_match(*s, m, re)) {
      char unit = m[2].str().empty() ? 0 : static_cast<char>(std::tolower(m[2].str()[0]));
      int shift = unit == 'k' ? 10 : unit == 'm' ? 20 : unit == 'g' ? 30 : 0;
      // Too large for 64 bits, with or without its unit: an error (stoull
      // threw out of the parser; a shift wrapped to a small size).
      const std::string digits = m[1].str();
      uint64_t v = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (ec == std::errc() && v <= (std::numeric_limits<uint64_t>::max() >> shift)) {
        *out = v << shift;
        return;
      }
    }
    Fail(*n, key, "must be a size in bytes (a whole number, or a string like \"10 MiB\")");
  }
  void Mode(const char* key, FailMode* out) {
    std::string s;
    if (!Str(key, &s)) return;
    if (s == "block") *out = FailMode::kBlock;
    else if (s == "allow") *out = FailMode::kAllow;
    else Fail(*t_.get(key), key, "must be \"block\" or \"allow\", not \"" + s + "\"");
  }
  // A list of strings; a single string is accepted as a list of one when
  // `single_ok`.
  bool List(const char* key, std::vector<std::string>* out, bool single_ok = false) {
    const toml::node* n = Get(key);
    if (!n) return false;
    if (auto s = n->value<std::string>(); s && single_ok) {
      out->assign(1, *s);
      return true;
    }
    const toml::array* a = n->as_array();
    std::vector<std::string> v;
    if (a) {
      for (const toml::node& e : *a) {
        auto s = e.value<std::string>();
        if (!s) {
          a = nullptr;
          break;
        }
        v.push_back(*s);
      }
    }
    if (!a) {
      Fail(*n, key, "must be an array of strings");
      return false;
    }
    *out = std::move(v);
    return true;
  }
  const toml::table* Table(const char* key) {
    const toml::node* n = Get(key);
    if (!n) return nullptr;
    if (const toml::table* t = n->as_table()) return t;
    Fail(*n, key, "must be a table");
    return nullptr;
  }
  void Fail(const toml::node& n, const std::string& key, const std::string& what) {
    if (!status_.ok()) return;
    status_ = Status::Error(Where(n) + ": " + Qualified(key) + " " + what);
  }
  void SetError(Status s) {
    if (status_.ok() && !s.ok()) status_ = std::move(s);
  }
  // Unknown keys are errors: a misspelt key must not silently weaken the policy.
  void Finish(const char* known) {
    for (const auto& [k, v] : t_) {
      std::string key(k.str());
      if (seen_.count(key)) continue;
      Fail(v, key, std::string("is not a policy key") + (known && *known ? " (known here: " + std::string(known) + ")" : ""));
    }
  }
  std::string Where(const toml::node& n) const {
    auto line = n.source().begin.line;
    return "policy " + origin_ + (line ? ":" + std::to_string(line) : "");
  }
  std::string Qualified(const std::string& key) const { return table_.empty() ? key : table_ + "." + key; }

 private:
  const toml::table& t_;
  std::string origin_;
  std::string table_;
  std::set<std::string> seen_;
  Status status_;
};

bool IsFingerprint(const std::string& s) {
  if (s.size() != 16) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

void ReadRules(Reader& top, const std::string& origin, const std::string& base_dir, Policy* out) {
  const toml::table* t = top.Table("rules");
  if (!t) return;
  Reader r(*t, origin, "rules");
  std::vector<std::string> files;
  if (r.List("files", &files, true)) {
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
        r.Fail(v, "actions." + id, "must be \"block\", \"warn\" or \"off\"");
        continue;
      }
      out->rule_actions[id] = *action;
    }
  }
  r.Finish("files, actions");
  top.SetError(r.status());
}

void ReadAllowlist(Reader& top, const std::string& origin, Policy* out) {
  const toml::table* t = top.Table("allowlist");
  if (!t) return;
  Reader r(*t, origin, "allowlist");
  std::vector<std::string> v;
  if (r.List("paths", &v)) out->allow_paths.insert(out->allow_paths.end(), v.begin(), v.end());
  if (r.List("fingerprints", &v)) {
    for (std::string fp : v) {
      for (char& c : fp) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (!IsFingerprint(fp)) {
        r.Fail(*t->get("fingerprints"), "fingerprints",
               "must hold fingerprints of 16 hex digits (as akgate prints them), not \"" + fp + "\"");
        break;
      }
      out->allow_fingerprints.push_back(fp);
    }
  }
  if (const toml::node* n = r.Get("inline")) {
    // "allow" | "block"; true / false are read as "allow" / "block".
    auto b = n->value<bool>();
    auto v = n->value<std::string>();
    if (b) out->inline_allow = *b;
    else if (v && (*v == "allow" || *v == "block")) out->inline_allow = *v == "allow";
    else r.Fail(*n, "inline", "must be \"allow\" or \"block\"");
  }
  r.Finish("paths, fingerprints, inline");
  top.SetError(r.status());
}

void ReadLimits(Reader& top, const std::string& origin, Policy* out) {
  const toml::table* t = top.Table("limits");
  if (!t) return;
  Reader r(*t, origin, "limits");
  r.Mode("on_error", &out->on_error);
  r.Mode("on_timeout", &out->on_timeout);
  r.Bytes("max_file_size", &out->max_file_bytes);
  r.Seconds("time_budget", 0.1, 86400, &out->time_budget);
  std::string unscannable;
  if (r.Str("unscannable", &unscannable)) {
    if (unscannable == "block") out->unscannable = Action::kBlock;
    else if (unscannable == "warn") out->unscannable = Action::kWarn;
    else r.Fail(*t->get("unscannable"), "unscannable", "must be \"block\" or \"warn\", not \"" + unscannable + "\"");
  }
  r.Finish("max_file_size, time_budget, on_timeout, on_error, unscannable");
  top.SetError(r.status());
}

void ReadLfs(Reader& top, const std::string& origin, Policy* out) {
  const toml::table* t = top.Table("lfs");
  if (!t) return;
  Reader r(*t, origin, "lfs");
  std::string missing;
  if (r.Str("missing", &missing)) {
    if (missing == "block" || missing == "warn") out->lfs_missing_blocks = missing == "block";
    else r.Fail(*t->get("missing"), "missing", "must be \"block\" or \"warn\", not \"" + missing + "\"");
  }
  std::vector<std::string> dirs;
  if (r.List("gitlab_storage", &dirs, true)) {
    for (const std::string& d : dirs)
      if (!fs::path(d).is_absolute()) r.Fail(*t->get("gitlab_storage"), "gitlab_storage", "must be absolute paths, not \"" + d + "\"");
    out->lfs_gitlab_storage = dirs;
  }
  r.Finish("missing, gitlab_storage");
  top.SetError(r.status());
}

void ReadReport(Reader& top, const std::string& origin, Policy* out) {
  const toml::table* t = top.Table("report");
  if (!t) return;
  Reader r(*t, origin, "report");
  r.Count("max_findings", 1, 1000, &out->max_findings);
  r.Bool("show_pre_existing", &out->show_pre_existing);
  std::string language;
  if (r.Str("language", &language)) {
    if (std::optional<Language> l = ParseLanguage(language)) out->language = *l;
    else r.Fail(*t->get("language"), "language", "must be \"en\" or \"zh-CN\", not \"" + language + "\"");
  }
  r.Finish("max_findings, show_pre_existing, language");
  top.SetError(r.status());
}

void ReadBypass(Reader& top, const std::string& origin, Policy* out) {
  const toml::table* t = top.Table("bypass");
  if (!t) return;
  Reader r(*t, origin, "bypass");
  r.List("who", &out->bypass_who);
  r.Bool("require_reason", &out->bypass_require_reason);
  r.List("allow_who", &out->allow_who);
  r.Bool("allow_require_reason", &out->allow_require_reason);
  r.Finish("who, require_reason, allow_who, allow_require_reason");
  top.SetError(r.status());
}

void ReadAudit(Reader& top, const std::string& origin, Policy* out) {
  const toml::table* t = top.Table("audit");
  if (!t) return;
  Reader r(*t, origin, "audit");
  r.Str("log", &out->audit_log);
  r.Finish("log");
  top.SetError(r.status());
}

void ReadNotify(Reader& top, const std::string& origin, Policy* out) {
  const toml::table* t = top.Table("notify");
  if (!t) return;
  Reader r(*t, origin, "notify");
  std::string url;
  if (r.Str("webhook", &url)) {
    if (!url.empty() && url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
      r.Fail(*t->get("webhook"), "webhook", "must be an http:// or https:// URL, not \"" + url + "\"");
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
    r.List("command", &out->notify_command);
  }
  r.Seconds("command_timeout", 0.1, 600, &out->command_timeout);
  r.Finish("webhook, webhook_timeout, webhook_ca_file, command, command_timeout");
  top.SetError(r.status());
}

}  // namespace

Status ParsePolicy(std::string_view text, const std::string& origin, const std::string& base_dir, Policy* out) {
  toml::table doc;
  try {
    doc = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    return Status::Error("policy " + origin + ":" + std::to_string(e.source().begin.line) + ": " +
                         std::string(e.description()));
  }
  // Read into a copy: a file with an error changes nothing.
  Policy next = *out;
  Reader top(doc, origin, "");
  ReadLimits(top, origin, &next);
  ReadRules(top, origin, base_dir, &next);
  ReadAllowlist(top, origin, &next);
  ReadReport(top, origin, &next);
  ReadLfs(top, origin, &next);
  ReadBypass(top, origin, &next);
  ReadAudit(top, origin, &next);
  ReadNotify(top, origin, &next);
  top.Finish("rules, allowlist, limits, lfs, report, bypass, audit, notify");
  if (!top.status().ok()) return top.status();
  next.sources.push_back(origin);
  *out = std::move(next);
  return Status::Ok();
}

namespace {

// Reads one file; *missing when it does not exist.
Status ReadFile(const std::string& path, std::string* text, bool* missing) {
  *missing = false;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    *missing = true;
    return Status::Ok();
  }
  if (fs::is_directory(path, ec)) return Status::Error("policy " + path + ": is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error("policy " + path + ": cannot open: " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::Error("policy " + path + ": cannot read");
  *text = ss.str();
  return Status::Ok();
}

Status LoadOne(const std::string& path, bool required, Policy* out) {
  std::string text;
  bool missing;
  Status s = ReadFile(path, &text, &missing);
  if (!s.ok()) return s;
  if (missing) return required ? Status::Error("policy " + path + ": no such file") : Status::Ok();
  return ParsePolicy(text, path, fs::path(path).parent_path().string(), out);
}

}  // namespace

Status LoadPolicy(const PolicyFiles& files, Policy* out) {
  Status s;
  if (!files.server.empty()) s = LoadOne(files.server, files.server_required, out);
  if (s.ok() && !files.repository.empty()) s = LoadOne(files.repository, files.repository_required, out);
  if (!s.ok()) out->unreadable = s.message();
  return s;
}

}  // namespace akgate
