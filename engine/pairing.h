// Stage 5: candidates -> findings.
//
// For each pair rule, every candidate of its first part is an anchor. Each
// further part is filled by the nearest free candidate of that part's rule
// within `window_lines` (nearest by lines, then one that follows the anchor,
// then nearest by bytes), or by a value the
// part's near_regex finds within those lines. Assignment is greedy by
// distance over all anchors at once, so a value pairs with the closest ID,
// never with every ID (no cross product). A pair whose required parts are
// all present becomes one finding; its candidates are consumed. Candidates
// left over become findings of their own rule (pair-only near values never
// do).
#pragma once

#include <string_view>
#include <vector>

#include "engine/candidate.h"
#include "engine/compiled_rules.h"
#include "engine/finding.h"

namespace akgate {

// `candidates` must be sorted by start with lines assigned. Findings carry
// offsets and lines; columns are filled by the caller.
void PairCandidates(const CompiledRules& rules, std::string_view path, std::string_view data,
                    std::vector<Candidate>* candidates, std::vector<Finding>* out);

}  // namespace akgate
