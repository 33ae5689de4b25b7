#include "engine/pairing.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_map>

#include "engine/block_structure.h"
#include "engine/confirm.h"
#include "engine/fingerprint.h"
#include "engine/redact.h"

namespace akgate {

namespace {

constexpr uint64_t kNearReach = 64 << 10;  // bytes either side searched by a near_regex
// Candidates of one part considered per anchor, per line of its window and
// per side (before / after it), nearest first. Pairing is greedy by
// distance, so an anchor misses its (k+1)-th nearest value only when k
// nearer ones were taken by other anchors, each of them then a pair of its
// own: what a push is decided on does not change, and the work per anchor is
// bounded (a line of 100,000 IDs no longer costs 10^10 comparisons).
constexpr size_t kNearestPerSide = 8;

// The newlines within reach of an anchor, for anchors visited in increasing
// offset order: each byte is searched for a newline once, whatever the
// number of anchors on a line.
class NewlineWindow {
 public:
  explicit NewlineWindow(std::string_view d) : d_(d) {}

  // Byte range of the lines [line - n, line + n] around offset p, each side
  // at most kNearReach from p.
  Window LinesAround(uint64_t p, int n) {
    const uint64_t floor = p > kNearReach ? p - kNearReach : 0;
    const uint64_t ceil = std::min<uint64_t>(d_.size(), p + kNearReach);
    Extend(floor, ceil);
    auto it = std::lower_bound(nl_.begin() + first_, nl_.end(), floor);
    size_t lo = it - nl_.begin();
    size_t at = std::lower_bound(it, nl_.end(), p) - nl_.begin();
    Window w{floor, ceil};
    if (at - lo >= static_cast<size_t>(n) + 1) w.begin = nl_[at - n - 1] + 1;
    if (at + n < nl_.size() && nl_[at + n] < ceil) w.end = nl_[at + n];
    return w;
  }

 private:
  void Extend(uint64_t floor, uint64_t ceil) {
    if (scanned_ < floor) scanned_ = floor;  // nothing before `floor` is asked for again
    while (scanned_ < ceil) {
      const void* nl = std::memchr(d_.data() + scanned_, '\n', ceil - scanned_);
      if (!nl) {
        scanned_ = ceil;
        break;
      }
      uint64_t at = static_cast<const char*>(nl) - d_.data();
      nl_.push_back(at);
      scanned_ = at + 1;
    }
    while (first_ < nl_.size() && nl_[first_] < floor) ++first_;
    if (first_ > 4096 && first_ * 2 > nl_.size()) {  // drop what is behind, keep memory bounded
      nl_.erase(nl_.begin(), nl_.begin() + first_);
      first_ = 0;
    }
  }
  std::string_view d_;
  std::vector<uint64_t> nl_;  // ascending; [first_, end) are the live ones
  size_t first_ = 0;
  uint64_t scanned_ = 0;
};

// Line numbers of increasing offsets, counting each newline once.
class LineCursor {
 public:
  explicit LineCursor(std::string_view d) : d_(d) {}
  uint32_t LineOf(uint64_t offset) {
    if (offset < pos_) {  // not expected (offsets ascend); count back
      line_ -= static_cast<uint32_t>(std::count(d_.begin() + offset, d_.begin() + pos_, '\n'));
    } else {
      line_ += static_cast<uint32_t>(std::count(d_.begin() + pos_, d_.begin() + offset, '\n'));
    }
    pos_ = offset;
    return line_;
  }

 private:
  std::string_view d_;
  uint64_t pos_ = 0;
  uint32_t line_ = 1;
};

// The union of the spans of one pair's candidates (every part's rule), for
// "does this value overlap one?" in logarithmic time.
class Covered {
 public:
  Covered(const std::vector<Candidate>& sorted_by_start, const CompiledPair& pair) {
    for (const Candidate& c : sorted_by_start) {
      bool of_pair = false;
      for (const CompiledPart& part : pair.parts) of_pair |= c.rule == static_cast<uint32_t>(part.rule_index);
      if (!of_pair) continue;
      if (!spans_.empty() && c.start <= spans_.back().end)
        spans_.back().end = std::max(spans_.back().end, c.end);
      else
        spans_.push_back({c.start, c.end});
    }
  }
  bool Overlaps(uint64_t start, uint64_t end) const {
    auto it =
        std::lower_bound(spans_.begin(), spans_.end(), end, [](const Window& w, uint64_t e) { return w.begin < e; });
    return it != spans_.begin() && std::prev(it)->end > start;
  }

 private:
  std::vector<Window> spans_;
};

// Values for part `part` of `pair` that the part's near_regex finds around
// each anchor, added to `cands` (deduplicated against existing candidates).
void AddNearCandidates(const CompiledRules& rules, const CompiledPair& pair, const CompiledPart& part,
                       std::string_view path, std::string_view data, int window, const std::vector<size_t>& anchors,
                       std::vector<Candidate>* cands, uint64_t* work) {
  re2::StringPiece text(data.data(), data.size());
  re2::StringPiece sub[2];
  std::vector<Candidate> found;
  // Not a value the pair's own rules found already (the ID itself, or the
  // part's value found by its rule), but another rule's finding on the same
  // value (Huawei's SK rule on a `secret_key` that is an AWS secret) must not
  // keep this pair from forming; the lone finding gives way below.
  const Covered covered(*cands, pair);
  NewlineWindow newlines(data);
  LineCursor lines(data);
  uint64_t searched_to = 0;
  for (size_t ai : anchors) {
    const Candidate& anchor = (*cands)[ai];
    Window w = newlines.LinesAround(anchor.start, window);
    uint64_t pos = std::max(w.begin, searched_to);
    while (pos < w.end && part.near_re->get().Match(text, pos, w.end, RE2::UNANCHORED, sub, 2)) {
      uint64_t mstart = sub[0].data() - data.data(), mend = mstart + sub[0].size();
      pos = mend > mstart ? mend : mstart + 1;
      if (!sub[1].data() || sub[1].empty()) continue;
      uint64_t s = sub[1].data() - data.data(), e = s + sub[1].size();
      ++*work;
      // Matches ascend and never overlap one another: only the last found can.
      if (covered.Overlaps(s, e) || (!found.empty() && found.back().end > s)) continue;
      std::string_view secret(sub[1].data(), sub[1].size());
      uint32_t r = static_cast<uint32_t>(part.rule_index);
      if (!PassesFilters(rules, r, secret, std::string_view(sub[0].data(), sub[0].size()), LineAround(data, s), path))
        continue;
      Candidate c;
      c.rule = r;
      c.start = s;
      c.end = e;
      c.line = lines.LineOf(s);
      c.secret.assign(secret);
      c.from_near = true;
      found.push_back(std::move(c));
    }
    searched_to = std::max(searched_to, w.end);
  }
  for (Candidate& c : found) cands->push_back(std::move(c));
}

// The structural block (block_structure.h) of each candidate's start, read
// from the text once, and again only when candidates were added since.
class CandidateBlocks {
 public:
  explicit CandidateBlocks(std::string_view data) : data_(data) {}
  uint64_t Of(const std::vector<Candidate>& cands, size_t i, uint64_t* work) {
    auto it = by_offset_.find(cands[i].start);
    if (it != by_offset_.end()) return it->second;
    std::vector<uint64_t> offsets;
    offsets.reserve(cands.size());
    for (const Candidate& c : cands) offsets.push_back(c.start);
    std::sort(offsets.begin(), offsets.end());
    offsets.erase(std::unique(offsets.begin(), offsets.end()), offsets.end());
    uint64_t bytes_read = 0;  // linear in the text, a few times per fragment at most
    std::vector<uint64_t> ids = BlockIds(data_, offsets, &bytes_read);
    *work += offsets.size();
    by_offset_.clear();
    for (size_t k = 0; k < offsets.size(); ++k) by_offset_[offsets[k]] = ids[k];
    return by_offset_[cands[i].start];
  }

 private:
  std::string_view data_;
  std::unordered_map<uint64_t, uint64_t> by_offset_;
};

FindingPart MakePart(const CompiledRules& rules, const Candidate& c, const std::string& name) {
  FindingPart p;
  const Rule& r = *rules.rules()[c.rule].rule;
  p.name = name.empty() ? r.description : name;
  p.rule_id = r.id;
  p.location.line = c.line;
  p.location.offset = c.start;
  p.redacted = RedactFor(r, c.secret);
  p.fingerprint = Fingerprint(rules.fingerprint_key(), FingerprintKind::kCredential, r.provider, c.secret);
  p.legacy_fingerprint = LegacyFingerprint(r.id, {c.secret});
  return p;
}

int Severity(Action a) { return a == Action::kBlock ? 2 : a == Action::kWarn ? 1 : 0; }

using PairedSpans = std::map<std::pair<uint64_t, uint64_t>, int>;

// A lone value on a span a pair took is that pair's, unless it is more severe.
bool GivesWay(const PairedSpans& paired, const Candidate& c, int severity) {
  auto it = paired.find({c.start, c.end});
  return it != paired.end() && it->second >= severity;
}

}  // namespace

void PairCandidates(const CompiledRules& rules, std::string_view path, std::string_view data,
                    std::vector<Candidate>* cands, std::vector<Finding>* out, uint64_t* work) {
  CandidateBlocks blocks(data);
  PairedSpans paired;  // the spans pairs took, with the most severe pair's action
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
        AddNearCandidates(rules, pair, pair.parts[k], path, data, window, anchors, cands, work);
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
      // The free candidates of this part, by offset (so by line too).
      std::vector<size_t> free;
      for (size_t j = 0; j < cands->size(); ++j) {
        const Candidate& c = (*cands)[j];
        if (!c.used && c.rule == part_rule && !is_anchor[j]) free.push_back(j);
      }
      if (free.empty()) continue;
      auto line_of = [&](size_t f) { return (*cands)[free[f]].line; };
      auto first_on_line = [&](uint32_t line) {
        return static_cast<size_t>(std::lower_bound(free.begin(), free.end(), line,
                                                    [&](size_t j, uint32_t l) { return (*cands)[j].line < l; }) -
                                   free.begin());
      };
      for (size_t a = 0; a < anchors.size(); ++a) {
        const Candidate& an = (*cands)[anchors[a]];
        auto add = [&](size_t f) {
          ++*work;
          const Candidate& c = (*cands)[free[f]];
          uint32_t dl = c.line > an.line ? c.line - an.line : an.line - c.line;
          uint64_t db = c.start > an.start ? c.start - an.start : an.start - c.start;
          edges.push_back({dl, c.start < an.start, db, a, free[f]});
        };
        // Per line of the window, the nearest few on each side of the anchor.
        uint32_t first_line = an.line > static_cast<uint32_t>(window) ? an.line - window : 0;
        size_t f = first_on_line(first_line);
        while (f < free.size() && line_of(f) <= an.line + static_cast<uint32_t>(window)) {
          const uint32_t line = line_of(f);
          const size_t end = first_on_line(line + 1);
          // [f, end) is this line's; those before the anchor are [f, split).
          const size_t split = std::lower_bound(free.begin() + f, free.begin() + end, an.start,
                                                [&](size_t j, uint64_t s) { return (*cands)[j].start < s; }) -
                               free.begin();
          for (size_t i = split; i > f && split - i < kNearestPerSide; --i) add(i - 1);
          for (size_t i = split; i < end && i - split < kNearestPerSide; ++i) add(i);
          f = end;
        }
      }
      // Beyond the window: the nearest few of the same block on each side
      // (an ID and its secret in one YAML mapping, JSON object, INI section,
      // .env file or class body, however far apart).
      if (pair.pair->same_block) {
        std::unordered_map<uint64_t, std::vector<size_t>> by_block;  // block -> indexes into free, by offset
        for (size_t f = 0; f < free.size(); ++f) by_block[blocks.Of(*cands, free[f], work)].push_back(f);
        for (size_t a = 0; a < anchors.size(); ++a) {
          const Candidate& an = (*cands)[anchors[a]];
          auto it = by_block.find(blocks.Of(*cands, anchors[a], work));
          if (it == by_block.end()) continue;
          const std::vector<size_t>& same = it->second;
          const size_t split = std::lower_bound(same.begin(), same.end(), an.start,
                                                [&](size_t f, uint64_t s) { return (*cands)[free[f]].start < s; }) -
                               same.begin();
          auto add_far = [&](size_t f) {
            const Candidate& c = (*cands)[free[f]];
            uint32_t dl = c.line > an.line ? c.line - an.line : an.line - c.line;
            if (dl <= static_cast<uint32_t>(window)) return;  // the window's loop weighed it
            ++*work;
            uint64_t db = c.start > an.start ? c.start - an.start : an.start - c.start;
            edges.push_back({dl, c.start < an.start, db, a, free[f]});
          };
          for (size_t i = split; i > 0 && split - i < kNearestPerSide; --i) add_far(same[i - 1]);
          for (size_t i = split; i < same.size() && i - split < kNearestPerSide; ++i) add_far(same[i]);
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
        int& sev = paired[{c.start, c.end}];
        sev = std::max(sev, Severity(pair.pair->action));
        f.parts.push_back(MakePart(rules, c, pair.parts[k].part->name));
        secrets.push_back(c.secret);
      }
      // Its first part's (the key ID): the pair and the lone ID are one credential.
      f.fingerprint = f.parts.front().fingerprint;
      f.legacy_fingerprint = LegacyFingerprint(pair.pair->id, secrets);
      out->push_back(std::move(f));
    }
  }

  // Lone candidates: their rule's own action. One finding per secret span:
  // where rules overlap exactly, the most severe wins, and a span that is
  // part of a pair is that pair's (unless the lone rule is the more severe).
  std::vector<const Candidate*> lone;
  for (const Candidate& c : *cands)
    if (!c.used && !c.from_near && rules.rules()[c.rule].rule->action != Action::kOff &&
        !GivesWay(paired, c, Severity(rules.rules()[c.rule].rule->action)))
      lone.push_back(&c);
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
    f.legacy_fingerprint = f.parts[0].legacy_fingerprint;
    out->push_back(std::move(f));
  }
}

}  // namespace akgate
