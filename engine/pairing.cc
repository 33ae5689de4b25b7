#include "engine/pairing.h"

#include <algorithm>
#include <cstring>

#include "engine/confirm.h"
#include "engine/redact.h"

namespace akgate {

namespace {

constexpr uint64_t kNearReach = 64 << 10;  // bytes either side searched by a near_regex

// Byte range of the lines [line - n, line + n] around offset p.
Window LinesAround(std::string_view d, uint64_t p, int n) {
  uint64_t b = p, floor = p > kNearReach ? p - kNearReach : 0;
  for (int i = 0; i <= n && b > floor; ++i) {
    const void* nl = memrchr(d.data() + floor, '\n', b - floor);
    if (!nl) {
      b = floor;
      break;
    }
    b = static_cast<const char*>(nl) - d.data();
    if (i == n) ++b;
  }
  uint64_t e = p, ceil = std::min<uint64_t>(d.size(), p + kNearReach);
  for (int i = 0; i <= n && e < ceil; ++i) {
    const void* nl = std::memchr(d.data() + e, '\n', ceil - e);
    if (!nl) {
      e = ceil;
      break;
    }
    e = static_cast<const char*>(nl) - d.data() + (i == n ? 0 : 1);
  }
  return {b, e};
}

uint32_t CountLines(std::string_view d, uint64_t from, uint64_t to) {
  if (to < from) std::swap(from, to);
  return static_cast<uint32_t>(std::count(d.begin() + from, d.begin() + to, '\n'));
}

bool Overlaps(const Candidate& a, uint64_t start, uint64_t end) { return a.start < end && start < a.end; }

// Values for part `part` of `pair` that the part's near_regex finds around
// each anchor, added to `cands` (deduplicated against existing candidates).
void AddNearCandidates(const CompiledRules& rules, const CompiledPart& part, std::string_view path,
                       std::string_view data, int window, const std::vector<size_t>& anchors,
                       std::vector<Candidate>* cands) {
  re2::StringPiece text(data.data(), data.size());
  re2::StringPiece sub[2];
  std::vector<Candidate> found;
  uint64_t searched_to = 0;
  for (size_t ai : anchors) {
    const Candidate anchor = (*cands)[ai];
    Window w = LinesAround(data, anchor.start, window);
    uint64_t pos = std::max(w.begin, searched_to);
    while (pos < w.end && part.near_re->get().Match(text, pos, w.end, RE2::UNANCHORED, sub, 2)) {
      uint64_t mstart = sub[0].data() - data.data(), mend = mstart + sub[0].size();
      pos = mend > mstart ? mend : mstart + 1;
      if (!sub[1].data() || sub[1].empty()) continue;
      uint64_t s = sub[1].data() - data.data(), e = s + sub[1].size();
      bool taken = false;
      for (const Candidate& c : *cands)
        if (Overlaps(c, s, e)) taken = true;
      for (const Candidate& c : found)
        if (Overlaps(c, s, e)) taken = true;
      if (taken) continue;
      std::string_view secret(sub[1].data(), sub[1].size());
      uint32_t r = static_cast<uint32_t>(part.rule_index);
      if (!PassesFilters(rules, r, secret, std::string_view(sub[0].data(), sub[0].size()),
                         LineAround(data, s), path))
        continue;
      Candidate c;
      c.rule = r;
      c.start = s;
      c.end = e;
      c.line = anchor.line + (s >= anchor.start ? CountLines(data, anchor.start, s) : 0) -
               (s < anchor.start ? CountLines(data, s, anchor.start) : 0);
      c.secret.assign(secret);
      c.from_near = true;
      found.push_back(std::move(c));
    }
    searched_to = std::max(searched_to, w.end);
  }
  for (Candidate& c : found) cands->push_back(std::move(c));
}

FindingPart MakePart(const CompiledRules& rules, const Candidate& c, const std::string& name) {
  FindingPart p;
  const Rule& r = *rules.rules()[c.rule].rule;
  p.name = name.empty() ? r.description : name;
  p.rule_id = r.id;
  p.location.line = c.line;
  p.location.offset = c.start;
  p.redacted = Redact(c.secret);
  p.fingerprint = Fingerprint(r.id, {c.secret});
  return p;
}

int Severity(Action a) { return a == Action::kBlock ? 2 : a == Action::kWarn ? 1 : 0; }

}  // namespace

void PairCandidates(const CompiledRules& rules, std::string_view path, std::string_view data,
                    std::vector<Candidate>* cands, std::vector<Finding>* out) {
  for (const CompiledPair& pair : rules.pairs()) {
    if (pair.pair->action == Action::kOff) continue;
    const uint32_t anchor_rule = static_cast<uint32_t>(pair.parts[0].rule_index);
    auto find_anchors = [&] {
      std::vector<size_t> a;
      for (size_t i = 0; i < cands->size(); ++i)
        if (!(*cands)[i].used && !(*cands)[i].from_near && (*cands)[i].rule == anchor_rule) a.push_back(i);
      return a;
    };
    std::vector<size_t> anchors = find_anchors();
    if (anchors.empty()) continue;
    const int window = pair.pair->window_lines;
    bool added_near = false;
    for (size_t k = 1; k < pair.parts.size(); ++k)
      if (pair.parts[k].near_re) {
        size_t before = cands->size();
        AddNearCandidates(rules, pair.parts[k], path, data, window, anchors, cands);
        added_near |= cands->size() != before;
      }
    if (added_near) {
      std::stable_sort(cands->begin(), cands->end(),
                       [](const Candidate& x, const Candidate& y) { return x.start < y.start; });
      anchors = find_anchors();
    }
    std::vector<uint8_t> is_anchor(cands->size(), 0);
    for (size_t i : anchors) is_anchor[i] = 1;

    // assigned[a][k] = candidate index filling part k of anchor a, or -1.
    std::vector<std::vector<long>> assigned(anchors.size(), std::vector<long>(pair.parts.size(), -1));
    std::vector<uint8_t> taken(cands->size(), 0);
    for (size_t a = 0; a < anchors.size(); ++a) assigned[a][0] = static_cast<long>(anchors[a]);
    for (size_t k = 1; k < pair.parts.size(); ++k) {
      struct Edge {
        uint32_t lines;
        bool before;  // the value precedes the anchor (IDs usually come first)
        uint64_t bytes;
        size_t anchor, cand;
      };
      std::vector<Edge> edges;
      const uint32_t part_rule = static_cast<uint32_t>(pair.parts[k].rule_index);
      for (size_t a = 0; a < anchors.size(); ++a) {
        const Candidate& an = (*cands)[anchors[a]];
        // Candidates are sorted by offset, so lines ascend: visit only the window.
        uint32_t first_line = an.line > static_cast<uint32_t>(window) ? an.line - window : 0;
        auto from = std::lower_bound(cands->begin(), cands->end(), first_line,
                                     [](const Candidate& c, uint32_t l) { return c.line < l; });
        for (size_t j = from - cands->begin(); j < cands->size(); ++j) {
          const Candidate& c = (*cands)[j];
          if (c.line > an.line + static_cast<uint32_t>(window)) break;
          if (c.used || c.rule != part_rule || is_anchor[j]) continue;
          uint32_t dl = c.line > an.line ? c.line - an.line : an.line - c.line;
          uint64_t db = c.start > an.start ? c.start - an.start : an.start - c.start;
          edges.push_back({dl, c.start < an.start, db, a, j});
        }
      }
      std::sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) {
        if (x.lines != y.lines) return x.lines < y.lines;
        if (x.before != y.before) return !x.before;
        return x.bytes < y.bytes;
      });
      for (const Edge& e : edges) {
        if (assigned[e.anchor][k] >= 0 || taken[e.cand]) continue;
        assigned[e.anchor][k] = static_cast<long>(e.cand);
        taken[e.cand] = 1;
      }
    }
    for (size_t a = 0; a < anchors.size(); ++a) {
      bool complete = true;
      for (size_t k = 1; k < pair.parts.size(); ++k)
        if (assigned[a][k] < 0 && !pair.parts[k].part->optional) complete = false;
      if (!complete) {
        for (size_t k = 1; k < pair.parts.size(); ++k)
          if (assigned[a][k] >= 0) taken[assigned[a][k]] = 0;
        continue;
      }
      Finding f;
      f.rule_id = pair.pair->id;
      f.description = pair.pair->description;
      f.provider = pair.pair->provider;
      f.action = pair.pair->action;
      f.path.assign(path);
      std::vector<std::string_view> secrets;
      for (size_t k = 0; k < pair.parts.size(); ++k) {
        if (assigned[a][k] < 0) continue;
        Candidate& c = (*cands)[assigned[a][k]];
        c.used = true;
        f.parts.push_back(MakePart(rules, c, pair.parts[k].part->name));
        secrets.push_back(c.secret);
      }
      f.fingerprint = Fingerprint(pair.pair->id, secrets);
      out->push_back(std::move(f));
    }
  }

  // Lone candidates: their rule's own action. One finding per secret span:
  // where rules overlap exactly, the most severe wins.
  std::vector<const Candidate*> lone;
  for (const Candidate& c : *cands)
    if (!c.used && !c.from_near && rules.rules()[c.rule].rule->action != Action::kOff) lone.push_back(&c);
  std::stable_sort(lone.begin(), lone.end(), [&](const Candidate* x, const Candidate* y) {
    if (x->start != y->start) return x->start < y->start;
    if (x->end != y->end) return x->end < y->end;
    return Severity(rules.rules()[x->rule].rule->action) > Severity(rules.rules()[y->rule].rule->action);
  });
  for (size_t i = 0; i < lone.size(); ++i) {
    if (i > 0 && lone[i]->start == lone[i - 1]->start && lone[i]->end == lone[i - 1]->end) continue;
    const Candidate& c = *lone[i];
    const Rule& r = *rules.rules()[c.rule].rule;
    Finding f;
    f.rule_id = r.id;
    f.description = r.description;
    f.provider = r.provider;
    f.action = r.action;
    f.path.assign(path);
    f.parts.push_back(MakePart(rules, c, ""));
    f.fingerprint = f.parts[0].fingerprint;
    out->push_back(std::move(f));
  }
}

}  // namespace akgate
