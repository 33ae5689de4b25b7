#include "engine/confirm.h"

#include <algorithm>
#include <cstring>
#include <unordered_set>

namespace akgate {

namespace {

constexpr uint64_t kLineReach = 4096;       // bytes either side of a hit on one line
constexpr uint64_t kMultiReach = 16384;     // bytes either side for rules that cross lines
constexpr uint64_t kMaxMerged = 256 << 10;  // a merged window is closed at this size

uint64_t LineStart(std::string_view d, uint64_t p, uint64_t floor) {
  if (p <= floor) return floor;
  const void* nl = memrchr(d.data() + floor, '\n', p - floor);
  return nl ? static_cast<const char*>(nl) - d.data() + 1 : floor;
}

uint64_t LineEnd(std::string_view d, uint64_t p, uint64_t ceil) {
  if (p >= ceil) return ceil;
  const void* nl = std::memchr(d.data() + p, '\n', ceil - p);
  return nl ? static_cast<const char*>(nl) - d.data() : ceil;
}

}  // namespace

void AssignLines(std::string_view data, std::vector<Candidate>* c) {
  uint64_t pos = 0;
  uint32_t line = 1;
  for (Candidate& cand : *c) {
    uint64_t to = std::min<uint64_t>(cand.start, data.size());
    if (to > pos) {
      line += static_cast<uint32_t>(std::count(data.begin() + pos, data.begin() + to, '\n'));
      pos = to;
    }
    cand.line = line;
  }
}

std::string_view LineAround(std::string_view data, uint64_t offset, uint64_t cap) {
  offset = std::min<uint64_t>(offset, data.size());
  uint64_t b = LineStart(data, offset, offset > cap ? offset - cap : 0);
  uint64_t e = LineEnd(data, offset, std::min<uint64_t>(data.size(), offset + cap));
  return data.substr(b, e - b);
}

void WindowCollector::Reset(const CompiledRules& rules, std::string_view data) {
  data_ = data;
  size_t n = rules.rules().size();
  if (rules_ != &rules || windows_.size() != n) {
    rules_ = &rules;
    windows_.assign(n, {});
    open_.assign(n, Window{});
    has_open_.assign(n, 0);
    gate_seen_.assign(n, 0);
    anchored_.clear();
    gated_.clear();
    return;
  }
  // Only what the previous fragment touched is cleared.
  for (uint32_t r : anchored_) {
    windows_[r].clear();
    has_open_[r] = 0;
  }
  for (uint32_t r : gated_) gate_seen_[r] = 0;
  anchored_.clear();
  gated_.clear();
}

void WindowCollector::OnGate(uint32_t rule) {
  if (gate_seen_[rule]) return;
  gate_seen_[rule] = 1;
  gated_.push_back(rule);
}

void WindowCollector::OnAnchor(uint32_t rule, uint64_t p) {
  Window& open = open_[rule];
  if (has_open_[rule] && p < open.end) return;  // already covered
  const uint64_t size = data_.size();
  Window w;
  if (rules_->rules()[rule].multiline) {
    w.begin = p > kMultiReach ? p - kMultiReach : 0;
    w.end = std::min(size, p + kMultiReach);
  } else {
    w.begin = LineStart(data_, p ? p - 1 : 0, p > kLineReach ? p - kLineReach : 0);
    w.end = LineEnd(data_, p, std::min(size, p + kLineReach));
  }
  if (has_open_[rule] && w.begin <= open.end && open.end - open.begin < kMaxMerged) {
    open.end = std::max(open.end, w.end);
    return;
  }
  if (has_open_[rule])
    windows_[rule].push_back(open);
  else
    anchored_.push_back(rule);  // its first window: windows_[rule] is empty until Finish
  open = w;
  has_open_[rule] = 1;
}

void WindowCollector::Finish() {
  std::sort(anchored_.begin(), anchored_.end());
  for (uint32_t r : anchored_) {
    windows_[r].push_back(open_[r]);
    has_open_[r] = 0;
  }
}

bool WindowCollector::Gated(uint32_t rule) const {
  const CompiledRule& cr = rules_->rules()[rule];
  return cr.gate_literals.empty() || gate_seen_[rule];
}

bool PassesFilters(const CompiledRules& rules, uint32_t rule, std::string_view secret, std::string_view match,
                   std::string_view line, std::string_view path) {
  const CompiledRule& cr = rules.rules()[rule];
  if (secret.empty()) return false;
  if (cr.rule->entropy > 0 && ShannonEntropy(secret) < cr.rule->entropy) return false;
  if (cr.validator && !cr.validator(secret)) return false;
  for (const CompiledAllowlist& a : cr.allowlists)
    if (a.Allows(secret, match, line, path)) return false;
  return !rules.global_allowlist().Allows(secret, match, line, path);
}

void ConfirmWindows(const CompiledRules& rules, const WindowCollector& windows, std::string_view path,
                    std::string_view data, const std::vector<uint8_t>& rule_active, std::vector<Candidate>* out) {
  re2::StringPiece text(data.data(), data.size());
  re2::StringPiece sub[100];
  std::unordered_set<uint64_t> seen;  // secret starts already taken, per rule
  auto confirm = [&](uint32_t r, const Window& w) {
    const CompiledRule& cr = rules.rules()[r];
    uint64_t pos = w.begin;
    while (pos < w.end && cr.re->get().Match(text, pos, w.end, RE2::UNANCHORED, sub, cr.ngroups)) {
      uint64_t mstart = sub[0].data() - data.data(), mend = mstart + sub[0].size();
      pos = mend > mstart ? mend : mstart + 1;
      const re2::StringPiece& s = sub[cr.group];
      if (s.data() == nullptr || s.empty()) continue;
      uint64_t sstart = s.data() - data.data();
      if (!seen.insert((uint64_t{r} << 40) | sstart).second) continue;
      std::string_view secret(s.data(), s.size());
      std::string_view match(sub[0].data(), sub[0].size());
      if (!PassesFilters(rules, r, secret, match, LineAround(data, sstart), path)) continue;
      Candidate c;
      c.rule = r;
      c.start = sstart;
      c.end = sstart + s.size();
      c.secret.assign(secret);
      out->push_back(std::move(c));
    }
  };
  for (uint32_t r : windows.anchored()) {
    if (!rule_active[r] || !windows.Gated(r)) continue;
    for (const Window& w : windows.windows(r)) confirm(r, w);
  }
  for (uint32_t r : rules.full_scan_rules())
    if (rule_active[r] && windows.Gated(r)) confirm(r, Window{0, data.size()});
}

}  // namespace akgate
