// Stage 3: from literal hits to confirmed candidates.
//
// A hit of one of a rule's literals opens a window on the surrounding
// line(s); overlapping windows merge. Each window is searched with the rule's
// RE2, which sees the whole fragment as context (so \b and ^ behave as on
// the full text). A match becomes a candidate when its secret passes the
// rule's entropy, validator and allowlists and the global allowlist.
#pragma once

#include <string_view>
#include <vector>

#include "engine/candidate.h"
#include "engine/compiled_rules.h"

namespace akgate {

// Per-rule windows for one fragment, built from literal hits in increasing
// offset order.
class WindowCollector {
 public:
  void Reset(const CompiledRules& rules, std::string_view data);
  void OnAnchor(uint32_t rule, uint64_t hit_end);  // a literal of `rule` ends here
  void OnGate(uint32_t rule);
  void Finish();  // closes open windows

  bool Gated(uint32_t rule) const;  // the rule may run (keyword seen, or none needed)
  const std::vector<Window>& windows(uint32_t rule) const { return windows_[rule]; }
  // Rules that got a window, ascending (after Finish): a fragment costs the
  // rules its literals concern, not every rule of the set.
  const std::vector<uint32_t>& anchored() const { return anchored_; }

 private:
  const CompiledRules* rules_ = nullptr;
  std::string_view data_;
  std::vector<std::vector<Window>> windows_;
  std::vector<Window> open_;
  std::vector<uint8_t> has_open_;
  std::vector<uint8_t> gate_seen_;
  std::vector<uint32_t> anchored_;  // rules with a window, in first-hit order until Finish sorts them
  std::vector<uint32_t> gated_;     // rules whose gate_seen_ is set
};

// Does a candidate secret for `rule` survive its filters?
bool PassesFilters(const CompiledRules& rules, uint32_t rule, std::string_view secret, std::string_view match,
                   std::string_view line, std::string_view path);

// Runs every runnable rule over its windows; appends candidates.
void ConfirmWindows(const CompiledRules& rules, const WindowCollector& windows, std::string_view path,
                    std::string_view data, const std::vector<uint8_t>& rule_active, std::vector<Candidate>* out);

}  // namespace akgate
