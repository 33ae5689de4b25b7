// TOML -> RuleSet. Structure and types are checked here; regexes are compiled
// (and their errors reported) by CompiledRules, the one place that compiles.
#include "engine/rule_loader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

namespace akgate {

extern const char kDefaultRulesToml[];

namespace {

// Reads the keys of one TOML table, checking types and remembering which keys
// were understood so the rest can be reported.
class TableReader {
 public:
  TableReader(const toml::table& t, std::string where, std::vector<std::string>* warnings)
      : t_(t), where_(std::move(where)), warnings_(warnings) {}

  Status status() const { return status_; }
  const std::string& where() const { return where_; }

  void Str(const char* key, std::string* out) {
    const toml::node* n = Get(key);
    if (!n) return;
    if (auto v = n->value<std::string>()) *out = *v;
    else Fail(key, "a string");
  }
  void Bool(const char* key, bool* out) {
    const toml::node* n = Get(key);
    if (!n) return;
    if (auto v = n->value<bool>()) *out = *v;
    else Fail(key, "true or false");
  }
  void Int(const char* key, int64_t min, int64_t max, int64_t* out) {
    const toml::node* n = Get(key);
    if (!n) return;
    auto v = n->value<int64_t>();
    if (!v || *v < min || *v > max) {
      Fail(key, "a whole number from " + std::to_string(min) + " to " + std::to_string(max));
      return;
    }
    *out = *v;
  }
  void Double(const char* key, double* out) {
    const toml::node* n = Get(key);
    if (!n) return;
    if (auto v = n->value<double>()) *out = *v;  // integers convert too
    else Fail(key, "a number");
  }
  void StrList(const char* key, std::vector<std::string>* out) {
    const toml::node* n = Get(key);
    if (!n) return;
    const toml::array* a = n->as_array();
    if (!a) return Fail(key, "an array of strings");
    for (const toml::node& e : *a) {
      auto v = e.value<std::string>();
      if (!v) return Fail(key, "an array of strings");
      out->push_back(*v);
    }
  }
  // A sub-table, or an array of sub-tables (callback per table).
  template <typename F>
  void Tables(const char* key, bool allow_single, F&& each) {
    const toml::node* n = Get(key);
    if (!n) return;
    if (const toml::table* t = n->as_table(); t && allow_single) {
      each(*t, where_ + "." + key);
      return;
    }
    const toml::array* a = n->as_array();
    if (!a) return Fail(key, allow_single ? "a table or an array of tables" : "an array of tables");
    int i = 0;
    for (const toml::node& e : *a) {
      const toml::table* t = e.as_table();
      if (!t) return Fail(key, "an array of tables");
      each(*t, where_ + "." + key + "[" + std::to_string(i++) + "]");
    }
  }
  void Fail(const std::string& key, const std::string& expected) {
    if (status_.ok()) status_ = Status::Error(where_ + ": '" + key + "' must be " + expected);
  }
  void SetError(Status s) {
    if (status_.ok() && !s.ok()) status_ = std::move(s);
  }
  // Keys present in the table but never read.
  void WarnUnknown() {
    for (const auto& [k, v] : t_) {
      std::string key(k.str());
      if (!seen_.count(key)) warnings_->push_back(where_ + ": unknown key '" + key + "' ignored");
    }
  }

 private:
  const toml::node* Get(const char* key) {
    seen_.insert(key);
    return t_.get(key);
  }
  const toml::table& t_;
  std::string where_;
  std::vector<std::string>* warnings_;
  std::set<std::string> seen_;
  Status status_;
};

Status ReadAllowlist(const toml::table& t, const std::string& where, bool global,
                     std::vector<std::string>* warnings, Allowlist* out) {
  TableReader r(t, where, warnings);
  r.Str("description", &out->description);
  r.StrList("regexes", &out->regexes);
  r.StrList("stopwords", &out->stopwords);
  r.StrList("paths", &out->paths);
  if (global) r.StrList("fingerprints", &out->fingerprints);
  std::string target, condition;
  r.Str("regexTarget", &target);
  r.Str("condition", &condition);
  std::vector<std::string> commits, target_rules;
  r.StrList("commits", &commits);
  if (global) r.StrList("targetRules", &target_rules);
  if (!commits.empty()) warnings->push_back(where + ": 'commits' allowlists are not supported; ignored");
  if (!target_rules.empty()) warnings->push_back(where + ": 'targetRules' is not supported; the allowlist applies to every rule");
  if (target == "secret" || target.empty()) out->target = Allowlist::Target::kSecret;
  else if (target == "match") out->target = Allowlist::Target::kMatch;
  else if (target == "line") out->target = Allowlist::Target::kLine;
  else r.Fail("regexTarget", "\"secret\", \"match\" or \"line\"");
  if (condition.empty() || condition == "OR" || condition == "or") out->condition = Allowlist::Condition::kOr;
  else if (condition == "AND" || condition == "and") out->condition = Allowlist::Condition::kAnd;
  else r.Fail("condition", "\"OR\" or \"AND\"");
  r.WarnUnknown();
  return r.status();
}

void AppendAllowlist(const Allowlist& from, Allowlist* to) {
  auto add = [](const std::vector<std::string>& a, std::vector<std::string>* b) {
    b->insert(b->end(), a.begin(), a.end());
  };
  add(from.regexes, &to->regexes);
  add(from.stopwords, &to->stopwords);
  add(from.paths, &to->paths);
  add(from.fingerprints, &to->fingerprints);
}

Status ReadAction(TableReader& r, Action* out) {
  std::string action;
  r.Str("action", &action);
  if (action.empty()) return Status::Ok();
  auto a = ParseAction(action);
  if (!a) return Status::Error(r.where() + ": 'action' must be \"block\", \"warn\" or \"off\", not \"" + action + "\"");
  *out = *a;
  return Status::Ok();
}

Status ReadRule(const toml::table& t, const std::string& where, std::vector<std::string>* warnings, Rule* out) {
  TableReader r(t, where, warnings);
  r.Str("id", &out->id);
  if (out->id.empty()) return Status::Error(where + ": a rule needs an 'id'");
  TableReader rr(t, where + " (rule '" + out->id + "')", warnings);
  rr.Str("id", &out->id);
  rr.Str("description", &out->description);
  rr.Str("provider", &out->provider);
  rr.Str("regex", &out->regex);
  int64_t group = 0;
  rr.Int("secretGroup", 0, 99, &group);
  out->secret_group = static_cast<int>(group);
  rr.Double("entropy", &out->entropy);
  rr.StrList("keywords", &out->keywords);
  rr.Str("path", &out->path);
  rr.Str("validator", &out->validator);
  rr.StrList("tags", &out->tags);
  rr.SetError(ReadAction(rr, &out->action));
  auto each = [&](const toml::table& at, const std::string& aw) {
    Allowlist a;
    rr.SetError(ReadAllowlist(at, aw, false, warnings, &a));
    out->allowlists.push_back(std::move(a));
  };
  rr.Tables("allowlist", true, each);
  rr.Tables("allowlists", false, each);
  rr.WarnUnknown();
  if (!rr.status().ok()) return rr.status();
  if (out->regex.empty() && out->path.empty())
    return Status::Error(where + " (rule '" + out->id + "'): needs a 'regex' or a 'path'");
  for (std::string& k : out->keywords)
    for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return Status::Ok();
}

Status ReadPair(const toml::table& t, const std::string& where, std::vector<std::string>* warnings, PairRule* out) {
  TableReader r(t, where, warnings);
  r.Str("id", &out->id);
  if (out->id.empty()) return Status::Error(where + ": a pair needs an 'id'");
  std::string w = where + " (pair '" + out->id + "')";
  TableReader pr(t, w, warnings);
  pr.Str("id", &out->id);
  pr.Str("description", &out->description);
  pr.Str("provider", &out->provider);
  int64_t window = out->window_lines;
  pr.Int("window_lines", 0, 1000, &window);
  out->window_lines = static_cast<int>(window);
  pr.SetError(ReadAction(pr, &out->action));
  pr.Tables("parts", false, [&](const toml::table& pt, const std::string& pw) {
    TableReader partr(pt, pw, warnings);
    PairPart part;
    partr.Str("rule", &part.rule);
    partr.Str("name", &part.name);
    partr.Str("near_regex", &part.near_regex);
    partr.Bool("optional", &part.optional);
    partr.WarnUnknown();
    if (part.rule.empty()) partr.SetError(Status::Error(pw + ": a part needs a 'rule'"));
    pr.SetError(partr.status());
    out->parts.push_back(std::move(part));
  });
  pr.WarnUnknown();
  if (!pr.status().ok()) return pr.status();
  if (out->parts.size() < 2) return Status::Error(w + ": a pair needs at least two [[pairs.parts]]");
  if (out->parts[0].optional) return Status::Error(w + ": the first part anchors the pair and cannot be optional");
  return Status::Ok();
}

template <typename T>
void Upsert(std::vector<T>* list, T item) {
  for (T& existing : *list)
    if (existing.id == item.id) {
      existing = std::move(item);
      return;
    }
  list->push_back(std::move(item));
}

Status LoadImpl(std::string_view text, std::string_view origin, const std::filesystem::path& base_dir,
                int depth, RuleSet* out) {
  if (depth > 8) return Status::Error(std::string(origin) + ": [extend] chain is too deep (a cycle?)");
  toml::table doc;
  try {
    doc = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << origin << ":" << e.source().begin.line << ":" << e.source().begin.column << ": " << e.description();
    return Status::Error(msg.str());
  }
  std::string where(origin);
  std::vector<std::string> warnings;
  TableReader top(doc, where, &warnings);
  RuleSet set;

  // [extend]: the base this file adds to.
  top.Tables("extend", true, [&](const toml::table& et, const std::string& ew) {
    TableReader er(et, ew, &warnings);
    bool use_default = false;
    std::string path;
    std::vector<std::string> disabled;
    er.Bool("useDefault", &use_default);
    er.Str("path", &path);
    er.StrList("disabledRules", &disabled);
    er.WarnUnknown();
    top.SetError(er.status());
    if (!er.status().ok()) return;
    if (use_default && !path.empty()) {
      top.SetError(Status::Error(ew + ": set either 'useDefault' or 'path', not both"));
      return;
    }
    if (use_default) {
      top.SetError(LoadImpl(DefaultRulesToml(), "<default rules>", {}, depth + 1, &set));
    } else if (!path.empty()) {
      std::filesystem::path p = path;
      if (p.is_relative()) p = base_dir / p;
      std::ifstream in(p, std::ios::binary);
      if (!in) {
        top.SetError(Status::Error(ew + ": cannot read extended file " + p.string()));
        return;
      }
      std::stringstream ss;
      ss << in.rdbuf();
      top.SetError(LoadImpl(ss.str(), p.string(), p.parent_path(), depth + 1, &set));
    }
    for (const std::string& id : disabled) {
      std::erase_if(set.rules, [&](const Rule& r) { return r.id == id; });
      std::erase_if(set.pairs, [&](const PairRule& p) { return p.id == id; });
    }
  });
  if (!top.status().ok()) return top.status();

  std::string title;
  top.Str("title", &title);
  if (!title.empty()) set.title = title;

  top.Tables("rules", false, [&](const toml::table& t, const std::string& w) {
    Rule rule;
    Status s = ReadRule(t, w, &warnings, &rule);
    top.SetError(s);
    if (s.ok()) Upsert(&set.rules, std::move(rule));
  });
  top.Tables("pairs", false, [&](const toml::table& t, const std::string& w) {
    PairRule pair;
    Status s = ReadPair(t, w, &warnings, &pair);
    top.SetError(s);
    if (s.ok()) Upsert(&set.pairs, std::move(pair));
  });
  auto global = [&](const toml::table& t, const std::string& w) {
    Allowlist a;
    top.SetError(ReadAllowlist(t, w, true, &warnings, &a));
    AppendAllowlist(a, &set.allowlist);
  };
  top.Tables("allowlist", true, global);
  top.Tables("allowlists", false, global);
  top.Tables("limits", true, [&](const toml::table& t, const std::string& w) {
    TableReader lr(t, w, &warnings);
    ContentLimits& l = set.limits;
    int64_t max_bytes = static_cast<int64_t>(l.max_fragment_bytes);
    int64_t max_decoded = static_cast<int64_t>(l.max_decoded_bytes);
    int64_t depth_limit = l.max_decode_depth;
    lr.Int("max_fragment_bytes", 1, int64_t{1} << 40, &max_bytes);
    lr.Int("max_decoded_bytes", 0, int64_t{1} << 32, &max_decoded);
    lr.Int("max_decode_depth", 0, 4, &depth_limit);
    lr.Bool("skip_binary", &l.skip_binary);
    lr.Bool("skip_minified", &l.skip_minified);
    std::vector<std::string> markers;
    lr.StrList("inline_allow_markers", &markers);
    if (!markers.empty()) l.inline_allow_markers = markers;
    l.max_fragment_bytes = static_cast<uint64_t>(max_bytes);
    l.max_decoded_bytes = static_cast<uint64_t>(max_decoded);
    l.max_decode_depth = static_cast<int>(depth_limit);
    lr.WarnUnknown();
    top.SetError(lr.status());
  });
  top.Tables("decode", true, [&](const toml::table& t, const std::string& w) {
    TableReader dr(t, w, &warnings);
    std::vector<std::string> triggers;
    dr.StrList("base64_triggers", &triggers);
    for (std::string& tr : triggers) {
      if (tr.size() < 3) {
        dr.SetError(Status::Error(w + ": base64 trigger \"" + tr + "\" is shorter than 3 characters"));
        continue;
      }
      if (std::find(set.base64_triggers.begin(), set.base64_triggers.end(), tr) == set.base64_triggers.end())
        set.base64_triggers.push_back(tr);
    }
    dr.WarnUnknown();
    top.SetError(dr.status());
  });
  // gitleaks keys we understand but do not need.
  std::string version;
  top.Str("version", &version);
  top.WarnUnknown();
  if (!top.status().ok()) return top.status();

  set.load_warnings.insert(set.load_warnings.end(), warnings.begin(), warnings.end());
  *out = std::move(set);
  return Status::Ok();
}

}  // namespace

std::string_view DefaultRulesToml() { return kDefaultRulesToml; }

Status LoadDefaultRules(RuleSet* out) {
  return LoadRulesFromString(DefaultRulesToml(), "<default rules>", out);
}

Status LoadRulesFromString(std::string_view toml, std::string_view origin, RuleSet* out) {
  return LoadImpl(toml, origin, std::filesystem::current_path(), 0, out);
}

Status LoadRulesFromFile(const std::string& path, RuleSet* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot read rule file: " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::Error(path + ": read error");
  std::filesystem::path p(path);
  return LoadImpl(ss.str(), path, p.parent_path().empty() ? "." : p.parent_path(), 0, out);
}

}  // namespace akgate
