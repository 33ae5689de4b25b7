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

#include "config/toml_reader.h"

namespace akgate {

extern const char kDefaultRulesToml[];

namespace {

// An allowlist and, for a global one, the rules it is limited to (gitleaks'
// targetRules): such an allowlist is attached to those rules only.
struct ReadAllowlistResult {
  std::vector<std::string> target_rules;
  std::string at;  // file:line, for messages about the targets
};

Status ReadAllowlist(const toml::table& t, const std::string& origin, const std::string& where, bool global,
                     std::vector<std::string>* warnings, Allowlist* out, ReadAllowlistResult* extra) {
  TomlReader r(t, origin, where, warnings);
  r.Str("description", &out->description);
  r.StrList("regexes", &out->regexes);
  r.StrList("stopwords", &out->stopwords);
  r.StrList("paths", &out->paths);
  if (global) r.StrList("fingerprints", &out->fingerprints);
  std::string target, condition;
  r.Str("regexTarget", &target);
  r.Str("condition", &condition);
  r.Ignored("commits", "an allowlist of commits is not applied, so findings in those commits are reported");
  if (global) {
    r.StrList("targetRules", &extra->target_rules);
    extra->at = r.AtKey("targetRules");
    if (!extra->target_rules.empty() && !out->fingerprints.empty())
      r.Error(nullptr, "'fingerprints' apply to every rule and cannot be combined with 'targetRules'");
  }
  if (target == "secret" || target.empty())
    out->target = Allowlist::Target::kSecret;
  else if (target == "match")
    out->target = Allowlist::Target::kMatch;
  else if (target == "line")
    out->target = Allowlist::Target::kLine;
  else
    r.Fail(nullptr, "regexTarget", "must be \"secret\", \"match\" or \"line\"");
  if (condition.empty() || condition == "OR" || condition == "or")
    out->condition = Allowlist::Condition::kOr;
  else if (condition == "AND" || condition == "and")
    out->condition = Allowlist::Condition::kAnd;
  else
    r.Fail(nullptr, "condition", "must be \"OR\" or \"AND\"");
  r.FailUnknown();
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

void ReadAction(TomlReader& r, Action* out) {
  std::string action;
  r.Str("action", &action);
  if (action.empty()) return;
  auto a = ParseAction(action);
  if (!a) return r.Error(nullptr, "'action' must be \"block\", \"warn\" or \"off\", not \"" + action + "\"");
  *out = *a;
}

Status ReadRule(const toml::table& t, const std::string& origin, const std::string& where,
                std::vector<std::string>* warnings, Rule* out) {
  if (auto id = t["id"].value<std::string>()) out->id = *id;
  if (out->id.empty())
    return Status::InvalidArgument(TomlReader(t, origin, where, warnings).At() + ": a rule needs an 'id'");
  TomlReader rr(t, origin, where + " (rule '" + out->id + "')", warnings);
  rr.Str("id", &out->id);
  rr.Str("description", &out->description);
  rr.Str("provider", &out->provider);
  rr.Str("regex", &out->regex);
  int64_t group = 0;
  rr.Int("secretGroup", 0, 99, &group);
  out->secret_group = static_cast<int>(group);
  rr.Number("entropy", 0, 8, &out->entropy);
  rr.StrList("keywords", &out->keywords);
  rr.Str("path", &out->path);
  rr.Str("validator", &out->validator);
  rr.StrList("tags", &out->tags);
  ReadAction(rr, &out->action);
  // gitleaks' composite rules: without them the rule reports on its own, which is more, not less.
  rr.Ignored("required", "the rule reports without its required companions");
  rr.Ignored("skipReport", "the rule's findings are reported");
  auto each = [&](const toml::table& at, const std::string& aw) {
    Allowlist a;
    rr.SetError(ReadAllowlist(at, origin, aw, false, warnings, &a, nullptr));
    out->allowlists.push_back(std::move(a));
  };
  rr.Tables("allowlist", true, each);
  rr.Tables("allowlists", false, each);
  rr.FailUnknown();
  if (!rr.status().ok()) return rr.status();
  if (out->regex.empty() && out->path.empty())
    return Status::InvalidArgument(rr.At() + ": needs a 'regex' or a 'path'");
  for (std::string& k : out->keywords)
    for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return Status::Ok();
}

Status ReadPair(const toml::table& t, const std::string& origin, const std::string& where,
                std::vector<std::string>* warnings, PairRule* out) {
  if (auto id = t["id"].value<std::string>()) out->id = *id;
  if (out->id.empty())
    return Status::InvalidArgument(TomlReader(t, origin, where, warnings).At() + ": a pair needs an 'id'");
  TomlReader pr(t, origin, where + " (pair '" + out->id + "')", warnings);
  pr.Str("id", &out->id);
  pr.Str("description", &out->description);
  pr.Str("provider", &out->provider);
  int64_t window = out->window_lines;
  pr.Int("window_lines", 0, 1000, &window);
  out->window_lines = static_cast<int>(window);
  pr.Bool("same_block", &out->same_block);
  ReadAction(pr, &out->action);
  pr.Tables("parts", false, [&](const toml::table& pt, const std::string& pw) {
    TomlReader partr(pt, origin, pw, warnings);
    PairPart part;
    partr.Str("rule", &part.rule);
    partr.Str("name", &part.name);
    partr.Str("near_regex", &part.near_regex);
    partr.Bool("optional", &part.optional);
    partr.FailUnknown();
    if (part.rule.empty()) partr.Error(nullptr, "a part needs a 'rule'");
    pr.SetError(partr.status());
    out->parts.push_back(std::move(part));
  });
  pr.FailUnknown();
  if (!pr.status().ok()) return pr.status();
  if (out->parts.size() < 2) return Status::InvalidArgument(pr.At() + ": a pair needs at least two [[pairs.parts]]");
  if (out->parts[0].optional)
    return Status::InvalidArgument(pr.At() + ": the first part anchors the pair and cannot be optional");
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

Status LoadImpl(std::string_view text, std::string_view origin, const std::filesystem::path& base_dir, int depth,
                RuleSet* out) {
  if (depth > 8) return Status::InvalidArgument(std::string(origin) + ": [extend] chain is too deep (a cycle?)");
  const std::string file(origin);
  toml::table doc;
  AKGATE_RETURN_IF_ERROR(TomlReader::Parse(text, file, &doc));
  std::vector<std::string> warnings;
  TomlReader top(doc, file, "", &warnings);
  RuleSet set;

  // [extend]: the base this file adds to.
  top.Tables("extend", true, [&](const toml::table& et, const std::string& ew) {
    TomlReader er(et, file, ew, &warnings);
    bool use_default = false;
    std::string path, url;
    std::vector<std::string> disabled;
    er.Bool("useDefault", &use_default);
    er.Str("path", &path);
    er.Str("url", &url);
    er.StrList("disabledRules", &disabled);
    er.FailUnknown();
    if (!url.empty())
      er.Error(nullptr,
               "'url' is not supported (its rules would be missing): download the file and "
               "name it with 'path'");
    if (use_default && !path.empty()) er.Error(nullptr, "set either 'useDefault' or 'path', not both");
    top.SetError(er.status());
    if (!er.status().ok()) return;
    if (use_default) {
      top.SetError(LoadImpl(DefaultRulesToml(), "<default rules>", {}, depth + 1, &set));
    } else if (!path.empty()) {
      std::filesystem::path p = path;
      if (p.is_relative()) p = base_dir / p;
      std::string extended;
      Status read = ReadConfigFile(p.string(), p.string(), &extended);
      if (!read.ok()) {
        top.SetError(read.WithContext(er.At() + ": cannot read extended file"));
        return;
      }
      top.SetError(LoadImpl(extended, p.string(), p.parent_path(), depth + 1, &set));
    }
    for (const std::string& id : disabled) {
      std::erase_if(set.rules, [&](const Rule& r) { return r.id == id; });
      std::erase_if(set.pairs, [&](const PairRule& p) { return p.id == id; });
    }
  });
  if (!top.status().ok()) return top.status();

  std::string title, description, version, min_version;
  top.Str("title", &title);
  top.Str("description", &description);
  if (!title.empty()) set.title = title;

  top.Tables("rules", false, [&](const toml::table& t, const std::string& w) {
    Rule rule;
    Status s = ReadRule(t, file, w, &warnings, &rule);
    top.SetError(s);
    if (s.ok()) Upsert(&set.rules, std::move(rule));
  });
  top.Tables("pairs", false, [&](const toml::table& t, const std::string& w) {
    PairRule pair;
    Status s = ReadPair(t, file, w, &warnings, &pair);
    top.SetError(s);
    if (s.ok()) Upsert(&set.pairs, std::move(pair));
  });
  // Global allowlists; one with targetRules belongs to those rules only.
  std::vector<std::pair<Allowlist, ReadAllowlistResult>> targeted;
  auto global = [&](const toml::table& t, const std::string& w) {
    Allowlist a;
    ReadAllowlistResult extra;
    top.SetError(ReadAllowlist(t, file, w, true, &warnings, &a, &extra));
    if (extra.target_rules.empty())
      AppendAllowlist(a, &set.allowlist);
    else
      targeted.emplace_back(std::move(a), std::move(extra));
  };
  top.Tables("allowlist", true, global);
  top.Tables("allowlists", false, global);
  for (const auto& [allowlist, extra] : targeted)
    for (const std::string& id : extra.target_rules) {
      auto rule = std::find_if(set.rules.begin(), set.rules.end(), [&](const Rule& r) { return r.id == id; });
      if (rule != set.rules.end()) {
        rule->allowlists.push_back(allowlist);
        continue;
      }
      bool pair = std::any_of(set.pairs.begin(), set.pairs.end(), [&](const PairRule& p) { return p.id == id; });
      top.SetError(Status::InvalidArgument(extra.at + ": targetRules names '" + id + "', which " +
                                           (pair ? "is a pair: name the rules of its parts" : "is not a rule")));
    }
  top.Tables("limits", true, [&](const toml::table& t, const std::string& w) {
    TomlReader lr(t, file, w, &warnings);
    ContentLimits& l = set.limits;
    int64_t max_bytes = static_cast<int64_t>(l.max_fragment_bytes);
    int64_t max_decoded = static_cast<int64_t>(l.max_decoded_bytes);
    int64_t depth_limit = l.max_decode_depth;
    lr.Int("max_fragment_bytes", 1, int64_t{1} << 40, &max_bytes);
    lr.Int("max_decoded_bytes", 0, int64_t{1} << 32, &max_decoded);
    lr.Int("max_decode_depth", 0, 4, &depth_limit);
    lr.Bool("skip_binary", &l.skip_binary);
    lr.Bool("skip_minified", &l.skip_minified);
    int64_t archive_bytes = static_cast<int64_t>(l.max_archive_bytes);
    int64_t archive_members = static_cast<int64_t>(l.max_archive_members);
    int64_t archive_depth = l.max_archive_depth;
    int64_t archive_ratio = static_cast<int64_t>(l.max_archive_ratio);
    lr.Bool("scan_archives", &l.scan_archives);
    lr.Int("max_archive_bytes", 0, int64_t{1} << 40, &archive_bytes);
    lr.Int("max_archive_members", 0, int64_t{1} << 32, &archive_members);
    lr.Int("max_archive_depth", 0, 16, &archive_depth);
    lr.Int("max_archive_ratio", 2, 1000000, &archive_ratio);
    l.max_archive_bytes = static_cast<uint64_t>(archive_bytes);
    l.max_archive_members = static_cast<uint64_t>(archive_members);
    l.max_archive_depth = static_cast<int>(archive_depth);
    l.max_archive_ratio = static_cast<uint64_t>(archive_ratio);
    std::string unscannable;
    lr.Str("unscannable", &unscannable);
    if (!unscannable.empty()) {
      if (auto a = ParseAction(unscannable))
        l.unscannable = *a;
      else
        lr.Error(nullptr, "'unscannable' must be \"block\", \"warn\" or \"off\", not \"" + unscannable + "\"");
    }
    std::vector<std::string> markers;
    lr.StrList("inline_allow_markers", &markers);
    if (!markers.empty()) l.inline_allow_markers = markers;
    l.max_fragment_bytes = static_cast<uint64_t>(max_bytes);
    l.max_decoded_bytes = static_cast<uint64_t>(max_decoded);
    l.max_decode_depth = static_cast<int>(depth_limit);
    lr.FailUnknown();
    top.SetError(lr.status());
  });
  top.Tables("decode", true, [&](const toml::table& t, const std::string& w) {
    TomlReader dr(t, file, w, &warnings);
    std::vector<std::string> triggers;
    dr.StrList("base64_triggers", &triggers);
    for (std::string& tr : triggers) {
      if (tr.size() < 3) {
        dr.Error(nullptr, "base64 trigger \"" + tr + "\" is shorter than 3 characters");
        continue;
      }
      if (std::find(set.base64_triggers.begin(), set.base64_triggers.end(), tr) == set.base64_triggers.end())
        set.base64_triggers.push_back(tr);
    }
    dr.FailUnknown();
    top.SetError(dr.status());
  });
  // gitleaks keys that say nothing about what is found.
  top.Str("version", &version);
  top.Str("minVersion", &min_version);
  top.FailUnknown();
  if (!top.status().ok()) return top.status();

  set.load_warnings.insert(set.load_warnings.end(), warnings.begin(), warnings.end());
  *out = std::move(set);
  return Status::Ok();
}

}  // namespace

std::string_view DefaultRulesToml() { return kDefaultRulesToml; }

Status LoadDefaultRules(RuleSet* out) { return LoadRulesFromString(DefaultRulesToml(), "<default rules>", out); }

Status LoadRulesFromString(std::string_view toml, std::string_view origin, RuleSet* out) {
  return LoadImpl(toml, origin, std::filesystem::current_path(), 0, out);
}

Status LoadRulesFromFile(const std::string& path, RuleSet* out) {
  std::string text;
  AKGATE_RETURN_IF_ERROR(ReadConfigFile(path, path + " (rule file)", &text));
  std::filesystem::path p(path);
  return LoadImpl(text, path, p.parent_path().empty() ? "." : p.parent_path(), 0, out);
}

}  // namespace akgate
