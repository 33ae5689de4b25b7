#include "engine/compiled_rules.h"

#include <re2/filtered_re2.h>

#include <algorithm>
#include <map>

#include "engine/compile_cache.h"

namespace akgate {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::unique_ptr<RE2> NewRE2(const std::string& pattern) {
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_max_mem(64 << 20);
  return std::make_unique<RE2>(pattern, opts);
}

// With `validate`, builds the program now and reports a pattern RE2 rejects;
// without (the rule set was validated when its cache entry was written), the
// program is built on first use.
Status CompileRegex(const std::string& pattern, const std::string& what, bool validate,
                    std::unique_ptr<LazyRegex>* out) {
  std::unique_ptr<RE2> re;
  if (validate) {
    re = NewRE2(pattern);
    if (!re->ok()) return Status::InvalidArgument(what + ": regex does not compile: " + re->error());
  }
  *out = std::make_unique<LazyRegex>(pattern, std::move(re));
  return Status::Ok();
}

Status CompileAllowlist(const Allowlist& a, const std::string& what, bool validate, CompiledAllowlist* out) {
  out->target = a.target;
  out->condition = a.condition;
  for (const std::string& r : a.regexes) {
    std::unique_ptr<LazyRegex> re;
    Status s = CompileRegex(r, what + " allowlist", validate, &re);
    if (!s.ok()) return s;
    out->regexes.push_back(std::move(re));
  }
  for (const std::string& p : a.paths) {
    std::unique_ptr<LazyRegex> re;
    AKGATE_RETURN_IF_ERROR(CompileRegex(p, what + " allowlist path", validate, &re));
    out->paths.push_back(std::move(re));
  }
  for (const std::string& w : a.stopwords)
    if (!w.empty()) out->stopwords.push_back(Lower(w));
  out->fingerprints.insert(a.fingerprints.begin(), a.fingerprints.end());
  return Status::Ok();
}

// Heuristic: can the pattern match across a line break? (\s, \n, negated
// classes, (?s) dot.) Such rules get windows that span lines.
bool MayCrossLines(const std::string& p) {
  for (const char* needle : {"\\s", "\\n", "\\r", "(?s", "[^", "\\W", "\\D", "\\v", "\\x0a", "\\x0A", "\\pZ"})
    if (p.find(needle) != std::string::npos) return true;
  return false;
}

// RE2's required substrings of one pattern ("atoms"), reduced to a set that
// still anchors every match: every match contains at least one atom of the
// returned set. Empty when the pattern has no required literal.
//
// FilteredRE2 evaluates the pattern's boolean formula over atoms. An atom can
// be dropped from the anchor set when the formula is still false with every
// remaining anchor absent (and everything else present): then a match always
// contains one of the remaining anchors. Short atoms are tried first, since
// they are the common ones ("type" in `"type": "service_account"`).
//
// The program FilteredRE2 compiles is also the pattern's validation when the
// rule set is compiled without a cache: `*groups` is set to its number of
// capturing groups, or -1 when FilteredRE2 could not compile it (then the
// caller compiles it alone, with the larger memory budget, to know why).
std::vector<std::string> AtomsOf(const std::string& pattern, int* groups) {
  re2::FilteredRE2 f(3);
  RE2::Options opts;
  opts.set_log_errors(false);
  int id = 0;
  *groups = -1;
  if (f.Add(pattern, opts, &id) != RE2::NoError) return {};
  *groups = f.GetRE2(id).NumberOfCapturingGroups();
  std::vector<std::string> atoms;
  f.Compile(&atoms);
  std::vector<int> present, potentials;
  f.AllPotentials(present, &potentials);
  if (!potentials.empty()) return {};  // "unfiltered": may match anywhere
  std::vector<int> order(atoms.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return atoms[a].size() < atoms[b].size(); });
  std::vector<uint8_t> anchor(atoms.size(), 1);
  for (int candidate : order) {
    anchor[candidate] = 0;
    present.clear();
    for (size_t i = 0; i < atoms.size(); ++i)
      if (!anchor[i]) present.push_back(static_cast<int>(i));
    f.AllPotentials(present, &potentials);
    if (!potentials.empty()) anchor[candidate] = 1;  // needed: keep it
  }
  // An anchor containing another anchor adds no hit the shorter one misses.
  std::vector<std::string> out;
  for (size_t i = 0; i < atoms.size(); ++i) {
    if (!anchor[i]) continue;
    bool redundant = false;
    for (size_t j = 0; j < atoms.size() && !redundant; ++j)
      redundant =
          j != i && anchor[j] && atoms[i].size() > atoms[j].size() && atoms[i].find(atoms[j]) != std::string::npos;
    if (!redundant) out.push_back(atoms[i]);
  }
  return out;
}

}  // namespace

LazyRegex::LazyRegex(std::string pattern, std::unique_ptr<RE2> built)
    : pattern_(std::move(pattern)), re_(std::move(built)) {
  if (re_) std::call_once(once_, [] {});
}

const RE2& LazyRegex::get() const {
  std::call_once(once_, [this] { re_ = NewRE2(pattern_); });
  return *re_;
}

const char* AnchoringName(Anchoring a) {
  switch (a) {
    case Anchoring::kAtoms:
      return "literal atoms";
    case Anchoring::kKeywords:
      return "keywords";
    case Anchoring::kFullScan:
      return "full scan (no required literal: slow)";
    case Anchoring::kPathOnly:
      return "path only";
  }
  return "";
}

bool CompiledAllowlist::AllowsPath(std::string_view path) const {
  for (const auto& re : paths)
    if (RE2::PartialMatch(path, re->get())) return true;
  return false;
}

bool CompiledAllowlist::Allows(std::string_view secret, std::string_view match, std::string_view line,
                               std::string_view path) const {
  std::string_view subject = target == Allowlist::Target::kSecret  ? secret
                             : target == Allowlist::Target::kMatch ? match
                                                                   : line;
  int criteria = 0, held = 0;
  if (!regexes.empty()) {
    ++criteria;
    for (const auto& re : regexes)
      if (RE2::PartialMatch(subject, re->get())) {
        ++held;
        break;
      }
  }
  if (!stopwords.empty()) {
    ++criteria;
    std::string lower = Lower(secret);
    for (const std::string& w : stopwords)
      if (lower.find(w) != std::string::npos) {
        ++held;
        break;
      }
  }
  if (!paths.empty()) {
    ++criteria;
    if (AllowsPath(path)) ++held;
  }
  if (criteria == 0) return false;
  return condition == Allowlist::Condition::kOr ? held > 0 : held == criteria;
}

std::vector<std::string> Base64Forms(std::string_view literal) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::vector<std::string> forms;
  for (size_t align = 0; align < 3; ++align) {
    // Bytes: `align` unknown bytes, then the literal. Output character k
    // covers bits [6k, 6k+6); it is stable when those bits lie in the literal.
    const size_t first_bit = align * 8, end_bit = (align + literal.size()) * 8;
    std::string form;
    for (size_t k = 0;; ++k) {
      size_t b0 = 6 * k, b1 = 6 * k + 6;
      if (b1 > end_bit) break;
      if (b0 < first_bit) continue;
      unsigned v = 0;
      for (size_t bit = b0; bit < b1; ++bit) {
        size_t byte = bit / 8 - align;
        unsigned c = static_cast<unsigned char>(literal[byte]);
        v = (v << 1) | ((c >> (7 - bit % 8)) & 1);
      }
      form += kAlphabet[v];
    }
    if (form.size() >= 4) forms.push_back(form);
  }
  return forms;
}

Status CompiledRules::Build(const RuleSet& rules, const std::string& cache_dir, std::unique_ptr<CompiledRules>* out) {
  std::unique_ptr<CompiledRules> c(new CompiledRules());
  c->set_ = rules;
  const RuleSet& set = c->set_;
  const std::string key = cache_dir.empty() ? "" : CompileCacheKey(set);
  CompileCache cache;
  const bool hit = !cache_dir.empty() && LoadCompileCache(cache_dir, key, set.rules.size(), &cache);
  const bool validate = !hit;
  c->from_cache_ = hit;

  std::map<std::pair<std::string, bool>, uint32_t> literal_ids;  // (text, caseless) -> id
  std::vector<Literal> literals;
  auto literal = [&](const std::string& text, bool caseless) -> uint32_t {
    auto text_key = std::make_pair(caseless ? Lower(text) : text, caseless);
    auto it = literal_ids.find(text_key);
    if (it != literal_ids.end()) return it->second;
    uint32_t id = static_cast<uint32_t>(literals.size());
    literals.push_back({text_key.first, caseless});
    c->roles_.emplace_back();
    literal_ids.emplace(text_key, id);
    return id;
  };

  std::map<std::string, int> index_of;
  for (size_t i = 0; i < set.rules.size(); ++i) {
    const Rule& r = set.rules[i];
    std::string what = "rule '" + r.id + "'";
    if (index_of.count(r.id)) return Status::InvalidArgument(what + ": defined twice");
    index_of[r.id] = static_cast<int>(i);
    CompiledRule cr;
    cr.rule = &r;
    if (!r.path.empty()) {
      Status s = CompileRegex(r.path, what + " path", validate, &cr.path_re);
      if (!s.ok()) return s;
      c->path_restricted_.push_back(static_cast<uint32_t>(i));
    }
    if (!r.validator.empty()) {
      cr.validator = FindValidator(r.validator);
      if (!cr.validator) return Status::InvalidArgument(what + ": unknown validator '" + r.validator + "'");
    }
    for (const Allowlist& a : r.allowlists) {
      CompiledAllowlist ca;
      Status s = CompileAllowlist(a, what, validate, &ca);
      if (!s.ok()) return s;
      cr.allowlists.push_back(std::move(ca));
    }
    uint32_t index = static_cast<uint32_t>(i);
    if (r.regex.empty()) {
      cr.anchoring = Anchoring::kPathOnly;
      c->path_only_.push_back(index);
      c->rules_.push_back(std::move(cr));
      continue;
    }
    if (hit) {
      cr.re = std::make_unique<LazyRegex>(r.regex, nullptr);
      cr.group = cache.rules[i].group;
      cr.atoms = cache.rules[i].atoms;
    } else {
      // One compile validates the pattern and yields its atoms; the program
      // the scan uses is built on first use, as after a cache hit.
      int groups = -1;
      cr.atoms = AtomsOf(r.regex, &groups);
      if (groups >= 0) {
        cr.re = std::make_unique<LazyRegex>(r.regex, nullptr);
      } else {
        Status s = CompileRegex(r.regex, what, true, &cr.re);
        if (!s.ok()) return s;
        groups = cr.re->get().NumberOfCapturingGroups();
      }
      if (r.secret_group > groups)
        return Status::InvalidArgument(what + ": secretGroup " + std::to_string(r.secret_group) +
                                       " but the regex has only " + std::to_string(groups) + " group(s)");
      cr.group = r.secret_group > 0 ? r.secret_group : (groups > 0 ? 1 : 0);
    }
    cr.ngroups = cr.group + 1;
    cr.multiline = MayCrossLines(r.regex);
    for (const std::string& k : r.keywords)
      if (!k.empty()) cr.gate_literals.push_back(literal(k, true));
    if (!cr.gate_literals.empty()) c->gated_count_++;
    if (!cr.atoms.empty()) {
      cr.anchoring = Anchoring::kAtoms;
      for (const std::string& a : cr.atoms) c->roles_[literal(a, true)].anchors.push_back(index);
    } else if (!cr.gate_literals.empty()) {
      cr.anchoring = Anchoring::kKeywords;
      for (uint32_t id : cr.gate_literals) c->roles_[id].anchors.push_back(index);
    } else {
      cr.anchoring = Anchoring::kFullScan;
      c->full_scan_.push_back(index);
    }
    for (uint32_t id : cr.gate_literals) c->roles_[id].gates.push_back(index);
    c->rules_.push_back(std::move(cr));
  }

  std::map<std::string, bool> pair_ids;
  for (const PairRule& p : set.pairs) {
    std::string what = "pair '" + p.id + "'";
    if (index_of.count(p.id) || pair_ids.count(p.id)) return Status::InvalidArgument(what + ": id already used");
    pair_ids[p.id] = true;
    CompiledPair cp;
    cp.pair = &p;
    for (const PairPart& part : p.parts) {
      auto it = index_of.find(part.rule);
      if (it == index_of.end()) return Status::InvalidArgument(what + ": part names unknown rule '" + part.rule + "'");
      CompiledPart cpart;
      cpart.rule_index = it->second;
      cpart.part = &part;
      if (c->rules_[it->second].anchoring == Anchoring::kPathOnly)
        return Status::InvalidArgument(what + ": part rule '" + part.rule + "' has no regex");
      if (!part.near_regex.empty()) {
        Status s =
            CompileRegex(part.near_regex, what + " near_regex of part '" + part.rule + "'", validate, &cpart.near_re);
        if (!s.ok()) return s;
        if (validate && cpart.near_re->get().NumberOfCapturingGroups() < 1)
          return Status::InvalidArgument(what + ": near_regex of part '" + part.rule +
                                         "' needs a capture group for the value");
      }
      c->rules_[it->second].pair_part = true;
      cp.parts.push_back(std::move(cpart));
    }
    c->pairs_.push_back(std::move(cp));
  }

  Status s = CompileAllowlist(set.allowlist, "global", validate, &c->global_);
  if (!s.ok()) return s;

  for (const std::string& trigger : set.base64_triggers)
    for (const std::string& form : Base64Forms(trigger)) c->roles_[literal(form, false)].base64_trigger = true;

  if (!hit || !LiteralIndex::Load(literals, cache.literal_database, &c->literals_).ok()) {
    s = LiteralIndex::Build(literals, &c->literals_);
    if (!s.ok()) return s;
    if (!cache_dir.empty()) {
      CompileCache fresh;
      for (const CompiledRule& cr : c->rules_) fresh.rules.push_back({cr.group, cr.atoms});
      auto serialized = std::make_shared<const std::string>(c->literals_->Serialize());
      fresh.literal_database = *serialized;
      fresh.storage = serialized;
      StoreCompileCache(cache_dir, key, fresh);  // best effort
    }
  }
  *out = std::move(c);
  return Status::Ok();
}

}  // namespace akgate
